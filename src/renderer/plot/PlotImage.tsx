import { useLayoutEffect, useMemo } from 'react';
import { useThree } from '@react-three/fiber';
import { DataTexture, LinearFilter, Mesh, MeshBasicMaterial, NearestFilter, PlaneGeometry, RGBAFormat, UnsignedByteType } from 'three';
import type { Rect } from './rect';

export interface PlotImageProps {
  /** (height, width, 4) RGBA bytes, row 0 drawn at the bottom (`rect.y0`). */
  rgba: Uint8Array;
  width: number;
  height: number;
  /** World rectangle the image covers. */
  rect: Rect;
  /** Draw order: higher draws on top. */
  renderOrder?: number;
}

/**
 * An RGBA image (a density map) stretched over a world rectangle: one textured quad, so a pan
 * or zoom costs no re-upload, only a frame. Pixels stay sharp when magnified (nearest filter),
 * as a binned image should.
 */
export function PlotImage({ rgba, width, height, rect, renderOrder = 0 }: PlotImageProps) {
  const invalidate = useThree((s) => s.invalidate);
  const texture = useMemo(() => {
    const t = new DataTexture(rgba, width, height, RGBAFormat, UnsignedByteType);
    t.magFilter = NearestFilter;
    t.minFilter = LinearFilter;
    t.generateMipmaps = false;
    t.needsUpdate = true;
    return t;
  }, [rgba, width, height]);
  useLayoutEffect(() => () => texture.dispose(), [texture]);
  const mesh = useMemo(() => {
    const m = new Mesh(new PlaneGeometry(1, 1), new MeshBasicMaterial({ depthTest: false, depthWrite: false, toneMapped: false }));
    m.frustumCulled = false;
    return m;
  }, []);
  useLayoutEffect(
    () => () => {
      mesh.geometry.dispose();
      (mesh.material as MeshBasicMaterial).dispose();
    },
    [mesh],
  );
  useLayoutEffect(() => {
    const material = mesh.material as MeshBasicMaterial;
    material.map = texture;
    material.needsUpdate = true;
    mesh.scale.set(rect.x1 - rect.x0, rect.y1 - rect.y0, 1);
    mesh.position.set((rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2, 0);
    mesh.renderOrder = renderOrder;
    invalidate();
  }, [mesh, texture, rect.x0, rect.x1, rect.y0, rect.y1, renderOrder, invalidate]);
  return <primitive object={mesh} />;
}
