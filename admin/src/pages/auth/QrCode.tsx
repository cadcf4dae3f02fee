import { useMemo } from 'react';
import { encode } from 'uqr';

/** A QR code drawn as SVG (uqr encodes; no network, no canvas). */
export function QrCode({ text, label, scale = 4 }: { text: string; label: string; scale?: number }) {
  const { size, path } = useMemo(() => {
    const qr = encode(text, { ecc: 'M', border: 2 });
    const d: string[] = [];
    qr.data.forEach((row, y) => row.forEach((on, x) => on && d.push(`M${x} ${y}h1v1h-1z`)));
    return { size: qr.size, path: d.join('') };
  }, [text]);
  return (
    <svg role="img" aria-label={label} width={size * scale} height={size * scale} viewBox={`0 0 ${size} ${size}`} shapeRendering="crispEdges" className="qr">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
