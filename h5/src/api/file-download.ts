import { ApiRequestError, readErrorResponse } from './errors';
import { loadSessionToken } from './session-token';

/**
 * Downloads a file of our API. Downloads need the session token, which a plain link cannot send, so the
 * file is fetched and handed to the browser as an object URL. `action` names the step in the network
 * error message (下载, or 打开 for a file the user opens to read).
 */
export async function downloadApiFile(path: string, fileName: string, action: '下载' | '打开' = '下载'): Promise<void> {
  const token = loadSessionToken();
  let response: Response;
  try {
    response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiRequestError({ status: 0, code: 'network_error', message: `网络连接失败，文件没有${action}，请稍后重试` });
  }
  if (!response.ok) throw await readErrorResponse(response);

  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.target = '_blank';
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
