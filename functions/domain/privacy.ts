/** Masking of personal data shown to other residents: 张* and 138****1234. */
export function maskName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const chars = Array.from(name.trim());
  if (chars.length === 0) return undefined;
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function maskPhone(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}
