import { describe, expect, it } from 'vitest';
import { buildEncryptedEnvelope, buildXml, readXmlFields } from './wecom-callback-xml.js';

describe('readXmlFields', () => {
  it('reads CDATA and bare values', () => {
    // Plaintext of the WeCom doc's sample message (path/91144).
    const xml = [
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>',
      '<FromUserName><![CDATA[mycreate]]></FromUserName>',
      '<CreateTime>1409659813</CreateTime>',
      '<MsgType><![CDATA[text]]></MsgType>',
      '<Content><![CDATA[hello]]></Content>',
      '<MsgId>4561255354251345929</MsgId>',
      '<AgentID>218</AgentID>',
      '</xml>',
    ].join('\n');

    expect(readXmlFields(xml)).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      FromUserName: 'mycreate',
      CreateTime: '1409659813',
      MsgType: 'text',
      Content: 'hello',
      MsgId: '4561255354251345929',
      AgentID: '218',
    });
  });

  it('reads leaves of nested elements', () => {
    const xml = '<xml><Event><![CDATA[sys_approval_change]]></Event><ApprovalInfo><SpNo>202503030001</SpNo><SpStatus>2</SpStatus></ApprovalInfo></xml>';

    expect(readXmlFields(xml)).toEqual({ Event: 'sys_approval_change', SpNo: '202503030001', SpStatus: '2' });
  });

  it('decodes entities in bare values', () => {
    expect(readXmlFields('<xml><Name>A&amp;B &lt;C&gt;</Name></xml>')).toEqual({ Name: 'A&B <C>' });
  });
});

describe('buildXml', () => {
  it('round-trips strings and numbers', () => {
    const xml = buildXml({ ToUserName: 'wwdemo', CreateTime: 1700000000, Content: '含有 ]]> 的文本' });

    expect(xml).toContain('<CreateTime>1700000000</CreateTime>');
    expect(readXmlFields(xml)).toEqual({ ToUserName: 'wwdemo', CreateTime: '1700000000', Content: '含有 ]]> 的文本' });
  });

  it('builds the encrypted envelope', () => {
    expect(buildEncryptedEnvelope('wwdemo', '1000017', 'abc==')).toBe(
      '<xml><ToUserName><![CDATA[wwdemo]]></ToUserName><Encrypt><![CDATA[abc==]]></Encrypt><AgentID><![CDATA[1000017]]></AgentID></xml>',
    );
  });
});
