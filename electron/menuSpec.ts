/** Validation of the menu the renderer sends on `spikedock:app.setMenu` (kept out of the preload bundle). */
import { z } from 'zod';
import { MENU_NAMES } from '../src/shared/ipc/bridge';

/** Validates a menu from the renderer (untrusted input: bounded sizes, plain strings). */
export const menuSpecSchema = z
  .array(
    z
      .object({
        id: z.string().regex(/^[A-Za-z][\w-]*(\.[\w-]+)+$/, 'a command id is namespace.verb').max(100),
        title: z.string().min(1).max(100),
        menu: z.enum(MENU_NAMES),
        section: z.string().max(100).optional(),
        keys: z.array(z.string().max(40)).max(8).optional(),
        enabled: z.boolean().optional(),
        checked: z.boolean().optional(),
      })
      .strict(),
  )
  .max(500);

