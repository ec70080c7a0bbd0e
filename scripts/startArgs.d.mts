/** Types of scripts/startArgs.mjs (plain JS so `npm start` runs it before anything is built). */
export declare const START_USAGE: string;
export declare function parseStartArgs(argv: readonly string[]): { dataset: string | null; serveArgs: string[]; electronArgs: string[]; serveOnly: string[] };
