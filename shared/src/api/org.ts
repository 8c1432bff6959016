import { z } from 'zod';
import { roleSchema } from '../roles.js';

export const orgUserSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  title: z.string().nullable(),
  active: z.boolean(),
  roles: z.array(roleSchema),
  departments: z.array(z.object({ id: z.number().int(), name: z.string(), isLeader: z.boolean() })),
});
export type OrgUser = z.infer<typeof orgUserSchema>;

export const orgDepartmentSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  parentId: z.number().int().nullable(),
});

export const orgChartSchema = z.object({
  departments: z.array(orgDepartmentSchema),
  users: z.array(orgUserSchema),
});

export const setRolesRequestSchema = z.object({
  roles: z.array(roleSchema).max(8),
});

export const orgSyncResultSchema = z.object({
  departments: z.number().int(),
  users: z.number().int(),
  usersLeft: z.number().int(),
});

export const idParamsSchema = z.object({
  id: z.coerce.number().int().positive('id 必须是正整数'),
});
