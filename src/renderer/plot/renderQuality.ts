/**
 * Plot antialiasing: multisampling is nearly free on a GPU but roughly doubles the cost of every
 * frame when WebGL runs on the CPU (SwiftShader, llvmpipe: remote desktops, VMs, machines
 * without a GPU driver). `auto` (the default) antialiases on a GPU only; View → Antialiased plots
 * overrides it either way.
 */
export type AntialiasMode = 'auto' | 'on' | 'off';

let software: boolean | null = null;

/** Whether WebGL is rendered in software here (probed once, with a throwaway context). */
export function isSoftwareRenderer(): boolean {
  if (software !== null) return software;
  software = false;
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
      software = /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    // no WebGL at all: the plots will say so; antialiasing is moot
  }
  return software;
}

/** Whether plots are drawn antialiased under `mode`. */
export function antialiasEnabled(mode: AntialiasMode): boolean {
  return mode === 'on' || (mode === 'auto' && !isSoftwareRenderer());
}

/**
 * `antialiasEnabled` without probing (for menus drawn before any plot): `auto` reads as on until
 * the first plot has probed the renderer.
 */
export function antialiasShown(mode: AntialiasMode): boolean {
  return mode === 'on' || (mode === 'auto' && software !== true);
}
