import { z } from 'zod';

/** Roles an admin can grant; a user can hold several. */
export const roleSchema = z.enum(['rep', 'manager', 'finance', 'legal', 'editorial', 'seal_keeper', 'executive', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export const roleLabels: Record<Role, string> = {
  rep: '销售代表',
  manager: '销售经理',
  finance: '财务',
  legal: '法务',
  editorial: '编辑部',
  seal_keeper: '印章管理员',
  executive: '总经理',
  admin: '系统管理员',
};

export const platformSchema = z.enum(['dingtalk', 'wecom']);
export type Platform = z.infer<typeof platformSchema>;
