import { RawShaderMaterial } from 'three';

/**
 * The few shaders every plot uses. Vertices are 2-D world positions (`vec2`, itemSize 2: half the
 * memory of three's default vec3) with a per-vertex RGBA colour; points are round, anti-aliased
 * and sized in CSS pixels (independent of zoom), like phy's markers.
 */
const LINE_VERTEX = `
precision highp float;
uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
attribute vec2 position;
attribute vec4 color;
varying vec4 vColor;
void main() {
  vColor = color;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 0.0, 1.0);
}`;

const LINE_FRAGMENT = `
precision highp float;
uniform float uOpacity;
varying vec4 vColor;
void main() {
  gl_FragColor = vec4(vColor.rgb, vColor.a * uOpacity);
}`;

const POINT_VERTEX = `
precision highp float;
uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
uniform float uSize;
uniform float uPixelRatio;
attribute vec2 position;
attribute vec4 color;
#ifdef USE_SIZE
attribute float size;
#endif
varying vec4 vColor;
void main() {
  vColor = color;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 0.0, 1.0);
#ifdef USE_SIZE
  gl_PointSize = size * uPixelRatio;
#else
  gl_PointSize = uSize * uPixelRatio;
#endif
}`;

const POINT_FRAGMENT = `
precision highp float;
uniform float uOpacity;
varying vec4 vColor;
void main() {
  vec2 c = gl_PointCoord * 2.0 - 1.0;
  float r = dot(c, c);
  if (r > 1.0) discard;
  float edge = 1.0 - smoothstep(0.6, 1.0, r);
  gl_FragColor = vec4(vColor.rgb, vColor.a * edge * uOpacity);
}`;

/** Material for line segments and triangles: per-vertex RGBA, alpha-blended, no depth test. */
export function createFlatMaterial(): RawShaderMaterial {
  return new RawShaderMaterial({
    vertexShader: LINE_VERTEX,
    fragmentShader: LINE_FRAGMENT,
    uniforms: { uOpacity: { value: 1 } },
    transparent: true,
    depthTest: false,
    depthWrite: false,
  });
}

/** Material for round points: a uniform size in CSS pixels, or a per-vertex `size` attribute. */
export function createPointMaterial(perVertexSize: boolean): RawShaderMaterial {
  return new RawShaderMaterial({
    vertexShader: POINT_VERTEX,
    fragmentShader: POINT_FRAGMENT,
    uniforms: { uOpacity: { value: 1 }, uSize: { value: 3 }, uPixelRatio: { value: 1 } },
    defines: perVertexSize ? { USE_SIZE: '' } : {},
    transparent: true,
    depthTest: false,
    depthWrite: false,
  });
}
