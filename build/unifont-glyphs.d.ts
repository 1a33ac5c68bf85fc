/** Served by the bundler from font/unifont-subset.hex (build/unifont-blob.ts). */
declare module 'unifont-glyphs' {
  export const narrowIndex: string;
  export const narrowBits: string;
  export const wideIndex: string;
  export const wideBits: string;
}
