import { clientConfigSchema, currentUserSchema, jsapiConfigRequestSchema, jsapiConfigSchema, loginRequestSchema, loginResponseSchema } from '@shared/api/auth.js';
import { AppError } from '../../http/app-error.js';
import { bearerToken } from '../../http/authenticate.js';
import { defineRoute } from '../../http/define-route.js';
import { parseInput } from '../../http/validate.js';
import type { ModuleDeps } from '../module-deps.js';
import { getCurrentUser, login, logout } from './auth.service.js';

export function registerAuthRoutes(deps: ModuleDeps): void {
  const { router, registry, config } = deps;

  registry.registerPath({
    method: 'get',
    path: '/api/client-config',
    summary: '获取 H5 启动所需的公开配置（平台、是否演示模式）',
    tags: ['登录'],
    responses: { 200: { description: '成功', content: { 'application/json': { schema: clientConfigSchema } } } },
  });
  router.get('/api/client-config', (ctx) => {
    const dingtalk = config.PLATFORM === 'dingtalk';
    ctx.body = clientConfigSchema.parse({
      platform: config.PLATFORM,
      demoMode: config.DEMO_MODE,
      corpId: (dingtalk ? config.DINGTALK_CORP_ID : config.WECOM_CORP_ID) ?? '',
      agentId: (dingtalk ? config.DINGTALK_AGENT_ID : config.WECOM_AGENT_ID) ?? '',
      appKey: dingtalk ? config.DINGTALK_APP_KEY ?? '' : '',
      fakePlatformUrl: config.DEMO_MODE ? config.FAKE_PLATFORM_URL ?? null : null,
      version: config.version,
    });
  });

  registry.registerPath({
    method: 'post',
    path: '/api/auth/login',
    summary: '免登：用钉钉或企业微信的一次性授权码换取会话',
    tags: ['登录'],
    request: { body: { content: { 'application/json': { schema: loginRequestSchema } } } },
    responses: { 200: { description: '成功', content: { 'application/json': { schema: loginResponseSchema } } } },
  });
  router.post('/api/auth/login', async (ctx) => {
    const body = parseInput(loginRequestSchema, (ctx.request as { body?: unknown }).body ?? {});
    if (body.platform !== config.PLATFORM) {
      throw new AppError(400, 'platform_mismatch', `本系统对接的是${config.PLATFORM === 'dingtalk' ? '钉钉' : '企业微信'}，请从该应用中打开`);
    }
    ctx.body = await login(deps, body.code);
  });

  registry.registerPath({
    method: 'post',
    path: '/api/auth/logout',
    summary: '退出登录，注销当前会话',
    tags: ['登录'],
    responses: { 204: { description: '已退出' } },
  });
  router.post('/api/auth/logout', async (ctx) => {
    const token = bearerToken(ctx.get('authorization'));
    if (token) await logout(deps, token);
    ctx.status = 204;
  });

  defineRoute(deps, {
    method: 'get',
    path: '/me',
    summary: '当前用户的资料、角色和部门',
    tag: '登录',
    response: currentUserSchema,
    handler: ({ actor }) => getCurrentUser(deps.db, actor.id),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/platform/jsapi-config',
    summary: '生成钉钉 dd.config 或企业微信 ww.register 所需的 JSAPI 签名',
    tag: '登录',
    status: 200,
    body: jsapiConfigRequestSchema,
    response: jsapiConfigSchema,
    handler: async ({ body }) => {
      const signature = await deps.platform.signJsapi(body.url);
      const dingtalk = config.PLATFORM === 'dingtalk';
      return {
        platform: config.PLATFORM,
        corpId: (dingtalk ? config.DINGTALK_CORP_ID : config.WECOM_CORP_ID) ?? '',
        agentId: (dingtalk ? config.DINGTALK_AGENT_ID : config.WECOM_AGENT_ID) ?? '',
        ...signature,
      };
    },
  });

}
