import * as z from './schema';

/** Opaque ids: letters, digits, '-' and '_' only, so they are safe inside keys. */
export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确');
/** A calendar date: 2026-02-30 and 2026-13-01 are refused, not rolled over into March or next year. */
export const LocalDate = z.iso.date({ message: '请选择有效的日期' });
/** A calendar month, YYYY-MM. */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '请选择有效的月份');
/** ISO 8601 with an offset (Z or ±hh:mm); its date part must be a calendar date, as above. */
export const IsoDateTime = z.iso.datetime({ offset: true, message: '请选择日期和时间' });
export const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '请选择时间（如 09:30）');
/** Text typed by a person: trimmed, never empty. */
export const Text = (max: number) => z.string().trim().min(1, '不能为空').max(max, `不能超过 ${max} 个字`);
/** Building-unit-room such as 3-2-501; full-width digits and dashes are accepted and folded by the service. */
export const Household = z
  .string()
  .trim()
  .regex(/^[0-9０-９]{1,3}[-－—–][0-9０-９]{1,2}[-－—–][0-9０-９]{1,5}$/, '门牌格式应为 楼栋-单元-房号，如 3-2-501');
export const Phone = z.string().regex(/^1\d{10}$/, '手机号应为 11 位数字');

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next: z.string().optional() });

export interface Page<T> {
  items: T[];
  next?: string;
}

export const Ok = z.object({ ok: z.literal(true) });
/** A mini-program code (wxacode) for a poster, as a short-lived link to its image. */
export const MiniProgramCode = z.object({ url: z.string() });
export type MiniProgramCode = z.infer<typeof MiniProgramCode>;

/** A service-hall category code (A 社保, B 民政…); appointments and the queue share it. */
export const Category = z.string().regex(/^[A-Z]$/, '业务类别应为一个大写字母，如 A');

/** A satisfaction rating (满意度测评) after an appointment or a ticket is done. */
export const Rating = z.object({ score: z.number().int().min(1).max(5), comment: Text(200).optional() });
export type Rating = z.infer<typeof Rating>;
