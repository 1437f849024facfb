/**
 * A household's canonical form, so one flat is one household whatever way it was typed:
 * full-width digits and dashes folded, leading zeros dropped ("03-02-0501" → "3-2-501").
 */
export function canonicalHousehold(input: string): string {
  const halfWidth = input
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[－—–]/g, '-');
  return halfWidth
    .split('-')
    .map((part) => String(Number.parseInt(part, 10)))
    .join('-');
}
