/**
 * The XML of WeCom callbacks. The outer envelope is `<xml><ToUserName/><Encrypt/><AgentID/></xml>` and the
 * decrypted event is a flat `<xml>` of fields; values are CDATA for text and bare for numbers.
 */

const ELEMENT_PATTERN = /<([A-Za-z_][\w.-]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g;

/**
 * Reads the leaf elements of a callback XML into name → text. Elements that contain other elements are
 * skipped and their children read as if they were top level, which suits WeCom's mostly flat events.
 */
export function readXmlFields(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of xml.matchAll(ELEMENT_PATTERN)) {
    const [, name, cdata, text] = match;
    if (name !== undefined && !(name in fields)) {
      // A value containing "]]>" arrives split over adjacent CDATA sections, which are joined again here.
      fields[name] = cdata === undefined ? decodeEntities(text ?? '') : cdata.replaceAll(']]><![CDATA[', '');
    }
  }
  return fields;
}

/** Builds a flat `<xml>` document; strings become CDATA, numbers stay bare. */
export function buildXml(fields: Record<string, string | number>): string {
  const elements = Object.entries(fields).map(([name, value]) =>
    typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}><![CDATA[${escapeCdata(value)}]]></${name}>`,
  );
  return `<xml>${elements.join('')}</xml>`;
}

/** Builds the encrypted envelope WeCom POSTs to the callback URL. */
export function buildEncryptedEnvelope(corpId: string, agentId: string, encrypt: string): string {
  return buildXml({ ToUserName: corpId, Encrypt: encrypt, AgentID: agentId });
}

function escapeCdata(value: string): string {
  // "]]>" would end the section early, so it is split across two CDATA sections.
  return value.replaceAll(']]>', ']]]]><![CDATA[>');
}

function decodeEntities(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}
