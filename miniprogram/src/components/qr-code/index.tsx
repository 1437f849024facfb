import { useMemo } from 'react';
import { Image } from '@tarojs/components';
import Taro from '@tarojs/taro';
import QRCode from 'qrcode';

/** The dark modules of a QR as one SVG path: a rectangle per run of dark modules in a row. */
export function qrSvg(text: string): string {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const runs: string[] = [];
  for (let y = 0; y < n; y++) {
    let x = 0;
    while (x < n) {
      if (!qr.modules.get(y, x)) {
        x++;
        continue;
      }
      const from = x;
      while (x < n && qr.modules.get(y, x)) x++;
      runs.push(`M${from + quiet} ${y + quiet}h${x - from}v1h${from - x}z`);
    }
  }
  const side = n + quiet * 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges"><rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${runs.join('')}"/></svg>`;
}

/** A data: URI of SVG text (plain ASCII), which both WeChat's and the browser's <image> show. */
export function svgDataUri(svg: string): string {
  if (typeof btoa === 'function') return `data:image/svg+xml;base64,${btoa(svg)}`;
  const bytes = new Uint8Array(svg.length);
  for (let i = 0; i < svg.length; i += 1) bytes[i] = svg.charCodeAt(i) & 0xff;
  return `data:image/svg+xml;base64,${Taro.arrayBufferToBase64(bytes.buffer)}`;
}

/**
 * A QR code as one image (one node on both platforms; a view per run of modules made 155 nodes
 * and slowed the page). `label` is what a screen reader says.
 */
export function QrCode({ text, size = 220, label = '二维码' }: { text: string; size?: number; label?: string }) {
  const src = useMemo(() => svgDataUri(qrSvg(text)), [text]);
  return (
    <Image
      className="qr-code"
      src={src}
      style={{ width: `${size}px`, height: `${size}px`, display: 'block', margin: '0 auto' }}
      aria-label={label}
      nativeProps={{ alt: label }}
    />
  );
}
