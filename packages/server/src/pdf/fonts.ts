import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * DejaVu Sans (regular, bold) and Sans Mono from the `dejavu-fonts-ttf` package: free fonts that cover Kazakh and
 * Russian Cyrillic (Қ, Ғ, Ү, Ұ, Ө, Ә, І, Ң, Һ) as well as Latin. Embedded (subset) in every PDF.
 */
export const FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  mono: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf'),
} as const;
