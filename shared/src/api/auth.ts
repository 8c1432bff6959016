import { z } from 'zod';
import { platformSchema, roleSchema } from '../roles.js';

export const loginRequestSchema = z.object({
  platform: platformSchema,
  code: z.string().min(1, '授权码不能为空').max(512, '授权码过长'),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const departmentRefSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  isLeader: z.boolean(),
});

export const currentUserSchema = z.object({
  id: z.number().int(),
  platform: platformSchema,
  platformUserId: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  roles: z.array(roleSchema),
  departments: z.array(departmentRefSchema),
});
export type CurrentUser = z.infer<typeof currentUserSchema>;

export const loginResponseSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: currentUserSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** Public settings the H5 needs before login: which platform and whether the demo user picker may show. */
export const clientConfigSchema = z.object({
  platform: platformSchema,
  demoMode: z.boolean(),
  corpId: z.string(),
  agentId: z.string(),
  appKey: z.string(),
  fakePlatformUrl: z.string().nullable(),
  version: z.string(),
});
export type ClientConfig = z.infer<typeof clientConfigSchema>;

export const jsapiConfigRequestSchema = z.object({
  url: z.string().url('url 必须是当前页面的完整地址'),
});

export const jsapiConfigSchema = z.object({
  platform: platformSchema,
  corpId: z.string(),
  agentId: z.string(),
  timeStamp: z.number().int(),
  nonceStr: z.string(),
  signature: z.string(),
  agentSignature: z.string().nullable(),
});
export type JsapiConfig = z.infer<typeof jsapiConfigSchema>;
