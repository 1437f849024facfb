import { Image } from '@tarojs/components';
import { QrCode } from '../qr-code';

const SIZE = 280;

/**
 * The code printed on a poster: in a browser a QR of the page's web link; in the mini-program the
 * mini-program code the server had WeChat make (a plain QR of a page path is something WeChat's
 * scanner cannot open). Long-pressing the code saves or forwards it.
 */
export function PosterCode({ link, codeUrl, label }: { link?: string; codeUrl?: string; label: string }) {
  if (link) return <QrCode text={link} size={SIZE} label={label} />;
  return (
    <Image
      className="poster__code"
      src={codeUrl ?? ''}
      style={{ width: `${SIZE}px`, height: `${SIZE}px`, display: 'block', margin: '0 auto' }}
      aria-label={label}
      showMenuByLongpress
    />
  );
}
