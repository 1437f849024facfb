/**
 * The 志愿服务记录证明 as a PDF (A4): what a certificate states, rendered with pdfkit, a subset of
 * Noto Sans SC and a QR code that opens the public check. The service decides what the
 * certificate says (services/certificates.ts); this only draws it.
 *
 * pdfkit, qrcode and the font come from a Lambda layer (layers/pdf, built by
 * scripts/build-pdf-layer.ts); locally and in tests they are plain node_modules. pdfkit embeds
 * only the glyphs used, so a certificate weighs tens of KB.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { config } from './config';

// ——— fonts ——————————————————————————————————————————————————————

const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';
type Weight = '400Regular' | '700Bold';

/** The font file: from node_modules (local, tests), else from the Lambda layer under /opt. */
export function fontPath(weight: Weight): string {
  const relative = `${FONT_PACKAGE}/${weight}/NotoSansSC_${weight}.ttf`;
  try {
    return createRequire(join(process.cwd(), 'noop.js')).resolve(relative);
  } catch {
    const layer = join('/opt/nodejs/node_modules', relative);
    if (existsSync(layer)) return layer;
    throw new Error(`CJK font not found: ${relative}`);
  }
}

const fonts = new Map<Weight, Buffer>();
/** Read once per container: each file is ~10 MB. */
function font(weight: Weight): Buffer {
  let data = fonts.get(weight);
  if (!data) {
    data = readFileSync(fontPath(weight));
    fonts.set(weight, data);
  }
  return data;
}

// ——— the certificate's content ————————————————————————————————————————

export interface CertificateContent {
  code: string;
  name: string;
  communityName: string;
  issuer: string;
  totalHours: number;
  services: number;
  periodFrom?: string;
  periodTo?: string;
  issueDate: string;
  rows: { date: string; text: string; hours: number }[];
}

const cnDate = (date: string | undefined): string => {
  if (!date) return '';
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};
const hoursText = (h: number): string => (Number.isInteger(h) ? String(h) : h.toFixed(1));

/** The public check page of a certificate: printed as text and as the QR. */
export const checkUrl = (code: string): string => `${config().webBase.replace(/\/$/, '')}/#/volunteers/certificate-check/index?code=${code}`;

/** Renders the PDF (A4). */
export async function renderCertificate(c: CertificateContent): Promise<Buffer> {
  const url = checkUrl(c.code);
  const qr = await QRCode.toBuffer(url, { type: 'png', margin: 1, width: 240, errorCorrectionLevel: 'M' });
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 64, left: 64, right: 64 },
    info: { Title: '志愿服务记录证明', Author: c.issuer, Subject: `证明编号 ${c.code}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('sc', font('400Regular'));
  doc.registerFont('sc-bold', font('700Bold'));

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const green = '#0b6b4b';

  doc.rect(left - 16, 40, width + 32, doc.page.height - 80).lineWidth(1.5).strokeColor(green).stroke();
  doc.font('sc-bold').fontSize(26).fillColor('#000').text('志愿服务记录证明', left, 78, { width, align: 'center', characterSpacing: 4 });
  doc.moveDown(0.3);
  doc.font('sc').fontSize(10.5).fillColor('#444').text(`证明编号：${c.code}`, { width, align: 'right' });
  doc.moveDown(1.2);

  const range = c.periodFrom ? `自${cnDate(c.periodFrom)}至${cnDate(c.periodTo)}，` : '';
  doc
    .font('sc')
    .fontSize(13)
    .fillColor('#000')
    .text(
      `    兹证明 ${c.name} 为${c.communityName}注册志愿者，${range}参加本社区组织的志愿服务 ${c.services} 次，` +
        `经本单位记录并认定的志愿服务时长累计 ${hoursText(c.totalHours)} 小时。具体记录如下：`,
      { width, lineGap: 7 },
    );
  doc.moveDown(1);

  // The record table: 序号 | 日期 | 服务内容 | 时长
  const cols = [40, 100, width - 40 - 100 - 80, 80];
  const xs = cols.map((_, i) => left + cols.slice(0, i).reduce((a, b) => a + b, 0));
  const drawRow = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'sc-bold' : 'sc').fontSize(11);
    const heights = cells.map((cell, i) => doc.heightOfString(cell, { width: (cols[i] ?? 0) - 12 }));
    const h = Math.max(...heights) + 12;
    if (y + h > doc.page.height - doc.page.margins.bottom - 150) {
      doc.addPage();
      doc.y = doc.page.margins.top;
      return drawRow(cells, bold);
    }
    cells.forEach((cell, i) => {
      doc.text(cell, (xs[i] ?? left) + 6, y + 6, { width: (cols[i] ?? 0) - 12, align: i === 2 ? 'left' : 'center' });
    });
    doc.moveTo(left, y + h).lineTo(left + width, y + h).lineWidth(0.5).strokeColor('#999').stroke();
    doc.y = y + h;
  };
  doc.moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(1).strokeColor('#333').stroke();
  drawRow(['序号', '日期', '服务内容', '时长（小时）'], true);
  c.rows.forEach((row, i) => drawRow([String(i + 1), row.date, row.text, hoursText(row.hours)]));
  drawRow(['', '', '合计', hoursText(c.totalHours)], true);

  // Issuer, date, QR and the legal basis, kept together at the foot.
  const footTop = Math.max(doc.y + 24, doc.page.height - doc.page.margins.bottom - 150);
  doc.image(qr, left, footTop, { width: 96 });
  doc.font('sc').fontSize(9).fillColor('#444').text('扫码核验真伪', left, footTop + 100, { width: 96, align: 'center' });
  doc.font('sc').fontSize(13).fillColor('#000');
  doc.text(`出具单位：${c.issuer}`, left + 130, footTop + 12, { width: width - 130, align: 'right' });
  doc.text(`出具日期：${cnDate(c.issueDate)}`, left + 130, footTop + 40, { width: width - 130, align: 'right' });
  doc
    .font('sc')
    .fontSize(9)
    .fillColor('#555')
    .text(
      `本证明依据《志愿服务记录与证明出具办法（试行）》（民政部令第67号）出具，内容来自本社区志愿服务台帐。` +
        `核验：扫描左侧二维码，或访问 ${url}`,
      left + 130,
      footTop + 74,
      { width: width - 130, lineGap: 3 },
    );
  doc.end();
  return done;
}
