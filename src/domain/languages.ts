// The five languages of the source pages: of the web UI, the mails and the PoE template.
export const languages = ['en', 'pt-BR', 'es-ES', 'zh-CN', 'zh-TW'] as const;
export type Language = (typeof languages)[number];
