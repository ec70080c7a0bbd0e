import { useLayoutEffect, useMemo } from 'react';
import { useThree } from '@react-three/fiber';
import { Box3, BufferAttribute, BufferGeometry, LineSegments, Mesh, Points, Sphere, Vector3, type RawShaderMaterial } from 'three';
import { createFlatMaterial, createPointMaterial } from './plotMaterial';
import type { VertexData } from './VertexBuffer';

/**
 * r3f components drawing typed-array geometry. Each owns one BufferGeometry; a new response
 * with the same vertex capacity is copied into the existing GPU buffers (`needsUpdate`), a
 * larger one reallocates. Nothing here holds per-vertex React state.
 */

interface CommonProps {
  data: VertexData;
  /** Draw order: higher draws on top. */
  renderOrder?: number;
  opacity?: number;
}

function setAttribute(geometry: BufferGeometry, name: string, array: Float32Array, itemSize: number): void {
  const attr = geometry.getAttribute(name) as BufferAttribute | undefined;
  if (attr && attr.array.length >= array.length) {
    (attr.array as Float32Array).set(array);
    // Upload only the filled part: the backing store may be much larger than this response.
    attr.clearUpdateRanges();
    attr.addUpdateRange(0, array.length);
    attr.needsUpdate = true;
    return;
  }
  // Capacity grows by 1.5× so that growing selections do not reallocate on every response.
  const capacity = Math.ceil((array.length / itemSize) * 1.5) * itemSize;
  const backing = new Float32Array(Math.max(capacity, itemSize));
  backing.set(array);
  geometry.setAttribute(name, new BufferAttribute(backing, itemSize));
}

function useGeometry(data: VertexData, withSizes: boolean): BufferGeometry {
  // A capacity change replaces the BufferGeometry (disposing the old GPU buffers).
  const geometry = useMemo(() => {
    const g = new BufferGeometry();
    // Positions are vec2 (itemSize 2), which three's bound computations misread as NaN; plots are
    // never culled or raycast by three, so unbounded volumes are exact enough.
    g.boundingSphere = new Sphere(new Vector3(), Infinity);
    g.boundingBox = new Box3(new Vector3(-Infinity, -Infinity, -Infinity), new Vector3(Infinity, Infinity, Infinity));
    return g;
  }, []);
  const invalidate = useThree((s) => s.invalidate);
  useLayoutEffect(() => () => geometry.dispose(), [geometry]);
  useLayoutEffect(() => {
    const old = geometry.getAttribute('position') as BufferAttribute | undefined;
    if (old && old.array.length < data.positions.length) {
      // three keeps GPU buffers per attribute until the geometry is disposed: dispose, then refill.
      geometry.dispose();
      geometry.deleteAttribute('position');
      geometry.deleteAttribute('color');
      geometry.deleteAttribute('size');
    }
    setAttribute(geometry, 'position', data.positions, 2);
    setAttribute(geometry, 'color', data.colors, 4);
    if (withSizes && data.sizes) setAttribute(geometry, 'size', data.sizes, 1);
    geometry.setDrawRange(0, data.count);
    invalidate();
  }, [geometry, data, withSizes, invalidate]);
  return geometry;
}

function useMaterialUniforms(material: RawShaderMaterial, opacity: number, extra?: Record<string, number>): void {
  const invalidate = useThree((s) => s.invalidate);
  const dpr = useThree((s) => s.viewport.dpr);
  // Redraw only when a uniform changed: a React re-render of the view (e.g. its loading state)
  // must not cost a frame, which in software WebGL is tens of milliseconds.
  const extraKey = extra ? JSON.stringify(extra) : '';
  useLayoutEffect(() => {
    material.uniforms.uOpacity.value = opacity;
    if (material.uniforms.uPixelRatio) material.uniforms.uPixelRatio.value = dpr;
    for (const [k, v] of Object.entries(extra ?? {})) if (material.uniforms[k]) material.uniforms[k].value = v;
    invalidate();
    // `extra` is compared by value through extraKey.
  }, [material, opacity, dpr, extraKey, invalidate]);
  useLayoutEffect(() => () => material.dispose(), [material]);
}

/** Line segments: vertices 2k and 2k+1 form one segment (1 px wide, WebGL's only width). */
export function PlotLines({ data, renderOrder = 0, opacity = 1 }: CommonProps) {
  const geometry = useGeometry(data, false);
  const material = useMemo(() => createFlatMaterial(), []);
  useMaterialUniforms(material, opacity);
  const object = useMemo(() => {
    const o = new LineSegments(geometry, material);
    o.frustumCulled = false;
    return o;
  }, [geometry, material]);
  object.renderOrder = renderOrder;
  return <primitive object={object} />;
}

/** Filled triangles (histogram bars, bands, boxes): vertices 3k..3k+2 form one triangle. */
export function PlotTriangles({ data, renderOrder = 0, opacity = 1 }: CommonProps) {
  const geometry = useGeometry(data, false);
  const material = useMemo(() => createFlatMaterial(), []);
  useMaterialUniforms(material, opacity);
  const object = useMemo(() => {
    const o = new Mesh(geometry, material);
    o.frustumCulled = false;
    return o;
  }, [geometry, material]);
  object.renderOrder = renderOrder;
  return <primitive object={object} />;
}

/** Round points (scatter markers), `size` in CSS pixels, or per-vertex sizes from `data.sizes`. */
export function PlotPoints({ data, renderOrder = 0, opacity = 1, size = 3 }: CommonProps & { size?: number }) {
  const perVertex = !!data.sizes;
  const geometry = useGeometry(data, perVertex);
  const material = useMemo(() => createPointMaterial(perVertex), [perVertex]);
  useMaterialUniforms(material, opacity, { uSize: size });
  const object = useMemo(() => {
    const o = new Points(geometry, material);
    o.frustumCulled = false;
    return o;
  }, [geometry, material]);
  object.renderOrder = renderOrder;
  return <primitive object={object} />;
}
