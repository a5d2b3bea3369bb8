// R-POE-1: the PoE template, filled in with the claim, in the claim's language (the
// organization's `language`), as DOCX (`docx`) or PDF (`pdf-lib`). The partner completes the
// work done and the dates, the customer signs, and the partner uploads it as PoE.
//
// PDF fonts: pdf-lib's standard fonts only encode WinAnsi (Latin-1). Unicode text uses
// DejaVu Sans (Debian fonts-dejavu-core) and CJK text Droid Sans Fallback (Debian
// fonts-droid-fallback, installed by .ci/run), embedded as subsets. Without them the PDF
// falls back to Helvetica: CJK claims get English labels, and characters Helvetica cannot
// encode become "?"; the answer's Content-Language then says "en". The DOCX needs no font.
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export const templateLanguages = ['en', 'pt-BR', 'es-ES', 'zh-CN', 'zh-TW'] as const;
export type TemplateLanguage = (typeof templateLanguages)[number];

/** The claim as the template shows it: plain strings, already resolved (product names, org). */
export interface TemplateData {
  claimId: string;
  claimName: string | null;
  partnerName: string;
  mpnId: string | null;
  locationName: string | null;
  customerDomain: string | null;
  tenantId: string | null;
  solutionArea: string | null;
  activity: string | null;
  products: { name: string; subscriptionId: string | null }[];
  customerContact: { name: string; title?: string; email: string } | null;
  technicalContact: { name: string; title?: string; email: string } | null;
  partnerContact: { name: string; email: string } | null;
  revenue: { solutionSellerName: string; customerName: string; isvSolutionName: string } | null;
  createdAt: Date;
  submittedAt: Date | null;
  generatedAt: Date;
}

type Labels = Record<
  | 'title'
  | 'intro'
  | 'claim'
  | 'partner'
  | 'mpnId'
  | 'location'
  | 'customer'
  | 'domain'
  | 'tenantId'
  | 'solutionArea'
  | 'activity'
  | 'products'
  | 'subscription'
  | 'customerContact'
  | 'technicalContact'
  | 'partnerContact'
  | 'solutionSeller'
  | 'customerName'
  | 'isvSolution'
  | 'dates'
  | 'claimCreated'
  | 'claimSubmitted'
  | 'generated'
  | 'workStart'
  | 'workEnd'
  | 'workDone'
  | 'workDoneHelp'
  | 'signature'
  | 'signatureHelp'
  | 'name'
  | 'jobTitle'
  | 'signed'
  | 'date'
  | 'microsoft_365'
  | 'business_applications'
  | 'pre_sales'
  | 'usage'
  | 'pre_sales_and_usage'
  | 'revenue_association',
  string
>;

// Words from docs/glossary.md where it has them.
export const templateLabels: Record<TemplateLanguage, Labels> = {
  en: {
    title: 'Proof of execution (PoE)',
    intro:
      'Statement of the work the partner did for the customer, signed by the customer. Upload it to the claim as PoE.',
    claim: 'Claim',
    partner: 'Partner',
    mpnId: 'MPN ID',
    location: 'Partner location',
    customer: 'Customer',
    domain: 'Domain name',
    tenantId: 'Tenant ID',
    solutionArea: 'Solution area',
    activity: 'Activity',
    products: 'Products',
    subscription: 'Subscription ID',
    customerContact: 'Customer contact',
    technicalContact: 'Technical contact',
    partnerContact: 'Partner contact',
    solutionSeller: 'Dynamics solution seller',
    customerName: 'Customer name',
    isvSolution: 'ISV product / solution',
    dates: 'Dates',
    claimCreated: 'Claim created',
    claimSubmitted: 'Claim submitted',
    generated: 'Template generated',
    workStart: 'Work started',
    workEnd: 'Work completed',
    workDone: 'The work done',
    workDoneHelp:
      'Describe what the partner did for the customer with each product above (deployment, migration, adoption, pre-sales workshops...).',
    signature: 'Customer signature',
    signatureHelp: 'By signing, the customer confirms that the partner did the work described above.',
    name: 'Name',
    jobTitle: 'Title',
    signed: 'Signature',
    date: 'Date',
    microsoft_365: 'Microsoft 365',
    business_applications: 'Business Applications',
    pre_sales: 'Pre-sales',
    usage: 'Usage',
    pre_sales_and_usage: 'Pre-sales and usage',
    revenue_association: 'Revenue association',
  },
  'pt-BR': {
    title: 'Prova de execução (PoE)',
    intro:
      'Descrição do trabalho que o parceiro realizou para o cliente, assinada pelo cliente. Carregue-a na declaração como PoE.',
    claim: 'Declaração',
    partner: 'Parceiro',
    mpnId: 'ID de MPN',
    location: 'Local do parceiro',
    customer: 'Cliente',
    domain: 'Nome de domínio',
    tenantId: 'ID de locatário',
    solutionArea: 'Área da solução',
    activity: 'Atividade',
    products: 'Produtos',
    subscription: 'ID da assinatura',
    customerContact: 'Contato do cliente',
    technicalContact: 'Contato técnico',
    partnerContact: 'Contato do parceiro',
    solutionSeller: 'Vendedor da solução Dynamics',
    customerName: 'Nome do cliente',
    isvSolution: 'Produto / solução ISV',
    dates: 'Datas',
    claimCreated: 'Declaração criada',
    claimSubmitted: 'Declaração enviada',
    generated: 'Modelo gerado',
    workStart: 'Início do trabalho',
    workEnd: 'Conclusão do trabalho',
    workDone: 'Trabalho realizado',
    workDoneHelp:
      'Descreva o que o parceiro fez para o cliente com cada produto acima (implantação, migração, adoção, workshops de pré-vendas...).',
    signature: 'Assinatura do cliente',
    signatureHelp: 'Ao assinar, o cliente confirma que o parceiro realizou o trabalho descrito acima.',
    name: 'Nome',
    jobTitle: 'Cargo',
    signed: 'Assinatura',
    date: 'Data',
    microsoft_365: 'Microsoft 365',
    business_applications: 'Business Applications',
    pre_sales: 'Pré-vendas',
    usage: 'Uso',
    pre_sales_and_usage: 'Pré-vendas e uso',
    revenue_association: 'Associação de receita',
  },
  'es-ES': {
    title: 'Prueba de ejecución (PoE)',
    intro:
      'Descripción del trabajo que el partner realizó para el cliente, firmada por el cliente. Cárguela en la reclamación como PoE.',
    claim: 'Reclamación',
    partner: 'Partner',
    mpnId: 'Id. de MPN',
    location: 'Ubicación del partner',
    customer: 'Cliente',
    domain: 'Nombre de dominio',
    tenantId: 'Id. de inquilino',
    solutionArea: 'Área de solución',
    activity: 'Actividad',
    products: 'Productos',
    subscription: 'Id. de suscripción',
    customerContact: 'Contacto del cliente',
    technicalContact: 'Contacto técnico',
    partnerContact: 'Contacto del partner',
    solutionSeller: 'Vendedor de la solución Dynamics',
    customerName: 'Nombre del cliente',
    isvSolution: 'Producto / solución ISV',
    dates: 'Fechas',
    claimCreated: 'Reclamación creada',
    claimSubmitted: 'Reclamación enviada',
    generated: 'Plantilla generada',
    workStart: 'Inicio del trabajo',
    workEnd: 'Fin del trabajo',
    workDone: 'Trabajo realizado',
    workDoneHelp:
      'Describa lo que el partner hizo para el cliente con cada producto anterior (implementación, migración, adopción, talleres de preventa...).',
    signature: 'Firma del cliente',
    signatureHelp: 'Con su firma, el cliente confirma que el partner realizó el trabajo descrito arriba.',
    name: 'Nombre',
    jobTitle: 'Cargo',
    signed: 'Firma',
    date: 'Fecha',
    microsoft_365: 'Microsoft 365',
    business_applications: 'Business Applications',
    pre_sales: 'Preventa',
    usage: 'Uso',
    pre_sales_and_usage: 'Preventa y uso',
    revenue_association: 'Asociación de ingresos',
  },
  'zh-CN': {
    title: '执行证明 (PoE)',
    intro: '合作伙伴为客户所完成工作的说明，由客户签字。请将其作为 PoE 上传到声明。',
    claim: '声明',
    partner: '合作伙伴',
    mpnId: 'MPN ID',
    location: '合作伙伴地点',
    customer: '客户',
    domain: '域名',
    tenantId: '租户 ID',
    solutionArea: '解决方案区域',
    activity: '活动',
    products: '产品',
    subscription: '订阅 ID',
    customerContact: '客户联系人',
    technicalContact: '技术联系人',
    partnerContact: '合作伙伴联系人',
    solutionSeller: 'Dynamics 解决方案销售商',
    customerName: '客户名称',
    isvSolution: 'ISV 产品 / 解决方案',
    dates: '日期',
    claimCreated: '声明创建日期',
    claimSubmitted: '声明提交日期',
    generated: '模板生成日期',
    workStart: '工作开始日期',
    workEnd: '工作完成日期',
    workDone: '所完成的工作',
    workDoneHelp: '请描述合作伙伴使用上述每个产品为客户完成的工作（部署、迁移、采用、售前研讨会等）。',
    signature: '客户签字',
    signatureHelp: '客户签字即确认合作伙伴已完成上述工作。',
    name: '姓名',
    jobTitle: '职务',
    signed: '签字',
    date: '日期',
    microsoft_365: 'Microsoft 365',
    business_applications: 'Business Applications',
    pre_sales: '售前',
    usage: '使用情况',
    pre_sales_and_usage: '售前和使用情况',
    revenue_association: '收入关联',
  },
  'zh-TW': {
    title: '執行證明 (PoE)',
    intro: '合作夥伴為客戶所完成工作的說明，由客戶簽署。請將其作為 PoE 上傳至宣告。',
    claim: '宣告',
    partner: '合作夥伴',
    mpnId: 'MPN 識別碼',
    location: '合作夥伴地點',
    customer: '客戶',
    domain: '網域名稱',
    tenantId: '租用戶識別碼',
    solutionArea: '解決方案領域',
    activity: '活動',
    products: '產品',
    subscription: '訂用帳戶識別碼',
    customerContact: '客戶連絡人',
    technicalContact: '技術連絡人',
    partnerContact: '合作夥伴連絡人',
    solutionSeller: 'Dynamics 解決方案銷售者',
    customerName: '客戶名稱',
    isvSolution: 'ISV 產品 / 解決方案',
    dates: '日期',
    claimCreated: '宣告建立日期',
    claimSubmitted: '宣告提交日期',
    generated: '範本產生日期',
    workStart: '工作開始日期',
    workEnd: '工作完成日期',
    workDone: '已完成的工作',
    workDoneHelp: '請描述合作夥伴使用上述各項產品為客戶完成的工作（部署、移轉、採用、售前研討會等）。',
    signature: '客戶簽署',
    signatureHelp: '客戶簽署即確認合作夥伴已完成上述工作。',
    name: '姓名',
    jobTitle: '職稱',
    signed: '簽名',
    date: '日期',
    microsoft_365: 'Microsoft 365',
    business_applications: 'Business Applications',
    pre_sales: '售前',
    usage: '使用量',
    pre_sales_and_usage: '售前與使用量',
    revenue_association: '收益關聯',
  },
};

/** The organization's language, or English when it has none or one the template lacks. */
export function templateLanguageOf(language: string | null | undefined): TemplateLanguage {
  const found = templateLanguages.find((l) => l.toLowerCase() === (language ?? '').toLowerCase());
  if (found) return found;
  const prefix = (language ?? '').slice(0, 2).toLowerCase();
  if (prefix === 'pt') return 'pt-BR';
  if (prefix === 'es') return 'es-ES';
  return 'en';
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '');
const blank = '____________________';

interface Section {
  heading: string;
  rows: [string, string][];
}

/** The template's content, independent of the format: both formats draw the same sections. */
function sectionsOf(d: TemplateData, L: Labels): Section[] {
  const contact = (c: { name: string; title?: string; email: string } | null) =>
    c ? [c.name, c.title, c.email].filter(Boolean).join(', ') : '';
  const label = (key: string | null) => (key && key in L ? L[key as keyof Labels] : (key ?? ''));
  const sections: Section[] = [
    {
      heading: L.partner,
      rows: [
        [L.partner, d.partnerName],
        [L.mpnId, d.mpnId ?? ''],
        [L.location, d.locationName ?? ''],
        [L.partnerContact, contact(d.partnerContact ? { ...d.partnerContact } : null)],
      ],
    },
    {
      heading: L.customer,
      rows: [
        [L.domain, d.customerDomain ?? ''],
        [L.tenantId, d.tenantId ?? ''],
        [L.customerContact, contact(d.customerContact)],
        ...(d.technicalContact
          ? [[L.technicalContact, contact(d.technicalContact)] as [string, string]]
          : []),
      ],
    },
    {
      heading: L.claim,
      rows: [
        [L.claim, d.claimName ?? ''],
        [L.solutionArea, label(d.solutionArea)],
        [L.activity, label(d.activity)],
        ...(d.revenue
          ? ([
              [L.solutionSeller, d.revenue.solutionSellerName],
              [L.customerName, d.revenue.customerName],
              [L.isvSolution, d.revenue.isvSolutionName],
            ] as [string, string][])
          : []),
      ],
    },
    {
      heading: L.products,
      rows: d.products.map(
        (p) => [p.name, p.subscriptionId ? `${L.subscription}: ${p.subscriptionId}` : ''] as [string, string],
      ),
    },
    {
      heading: L.dates,
      rows: [
        [L.claimCreated, day(d.createdAt)],
        ...(d.submittedAt ? [[L.claimSubmitted, day(d.submittedAt)] as [string, string]] : []),
        [L.generated, day(d.generatedAt)],
        [L.workStart, blank],
        [L.workEnd, blank],
      ],
    },
  ];
  return sections;
}

// ---------------------------------------------------------------------------------------
// DOCX

export async function poeTemplateDocx(d: TemplateData, lang: TemplateLanguage): Promise<Buffer> {
  const L = templateLabels[lang];
  const language = { value: lang, eastAsia: lang.startsWith('zh') ? lang : undefined };
  const run = (text: string, opts: { bold?: boolean; size?: number; color?: string } = {}) =>
    new TextRun({ text, language, ...opts });
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const table = (rows: [string, string][]) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: rows.map(
        ([k, v]) =>
          new TableRow({
            children: [
              new TableCell({
                width: { size: 35, type: WidthType.PERCENTAGE },
                children: [new Paragraph({ children: [run(k, { bold: true })] })],
              }),
              new TableCell({
                width: { size: 65, type: WidthType.PERCENTAGE },
                children: [new Paragraph({ children: [run(v)] })],
              }),
            ],
          }),
      ),
    });
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [run(L.title)] }),
    new Paragraph({ children: [run(L.intro, { color: '555555' })] }),
  ];
  for (const s of sectionsOf(d, L)) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(s.heading)] }));
    if (s.rows.length) children.push(table(s.rows));
  }
  children.push(
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(L.workDone)] }),
    new Paragraph({ children: [run(L.workDoneHelp, { color: '555555' })] }),
    ...Array.from(
      { length: 8 },
      () =>
        new Paragraph({
          border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '999999', space: 8 } },
          children: [run('')],
        }),
    ),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(L.signature)] }),
    new Paragraph({ children: [run(L.signatureHelp, { color: '555555' })] }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: {
        top: none,
        bottom: none,
        left: none,
        right: none,
        insideHorizontal: none,
        insideVertical: none,
      },
      rows: (
        [
          [L.name, d.customerContact?.name ?? blank],
          [L.jobTitle, d.customerContact?.title ?? blank],
          [L.signed, blank],
          [L.date, blank],
        ] as [string, string][]
      ).map(
        ([k, v]) =>
          new TableRow({
            children: [
              new TableCell({
                borders: { top: none, bottom: none, left: none, right: none },
                children: [new Paragraph({ children: [run(k, { bold: true })] })],
              }),
              new TableCell({
                borders: { top: none, bottom: none, left: none, right: none },
                children: [new Paragraph({ children: [run(v)] })],
              }),
            ],
          }),
      ),
    }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      children: [run(`${L.claim}: ${d.claimId}`, { size: 16, color: '888888' })],
    }),
  );
  const doc = new Document({
    creator: 'cpor',
    title: `${L.title} - ${d.claimName ?? d.claimId}`,
    description: d.claimId,
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

// ---------------------------------------------------------------------------------------
// PDF

export const pdfFontPaths = {
  latin: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'],
  latinBold: ['/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  cjk: [
    '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
    '/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf',
  ],
};

interface FontFile {
  bytes: Uint8Array;
  covers(codePoint: number): boolean;
}

const fontCache = new Map<string, Promise<FontFile | null>>();

function loadFont(paths: string[]): Promise<FontFile | null> {
  const key = paths.join('|');
  let p = fontCache.get(key);
  if (!p) {
    p = (async () => {
      for (const path of paths) {
        try {
          const bytes = new Uint8Array(await readFile(path));
          const font = fontkit.create(bytes);
          return { bytes, covers: (cp: number) => font.hasGlyphForCodePoint(cp) };
        } catch {
          // Not installed here: try the next one.
        }
      }
      return null;
    })();
    fontCache.set(key, p);
  }
  return p;
}

interface FontSet {
  /** Picks a font for each run of the text; a character no font covers becomes "?". */
  runs(text: string, bold?: boolean): { text: string; font: PDFFont }[];
}

/** Characters Helvetica (WinAnsi) can encode. */
const winAnsi = (cp: number) =>
  (cp >= 0x20 && cp <= 0x7e) ||
  (cp >= 0xa0 && cp <= 0xff) ||
  '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'.includes(String.fromCodePoint(cp));

/**
 * Fonts for the texts in `sample`. The CJK font is embedded whole, and only when `sample` needs
 * it: @pdf-lib/fontkit's subsets of Droid Sans Fallback lose most glyphs (they render blank in
 * poppler), so a Chinese template is ~2.3 MB and an English one stays ~25 kB.
 */
async function fontSet(pdf: PDFDocument, sample: string): Promise<{ fonts: FontSet; cjk: boolean }> {
  pdf.registerFontkit(fontkit);
  const [latin, latinBold, cjk] = await Promise.all([
    loadFont(pdfFontPaths.latin),
    loadFont(pdfFontPaths.latinBold),
    loadFont(pdfFontPaths.cjk),
  ]);
  const embed = async (f: FontFile | null, std: StandardFonts) =>
    f
      ? { font: await pdf.embedFont(f.bytes, { subset: true }), covers: f.covers }
      : { font: await pdf.embedFont(std), covers: winAnsi };
  const regular = await embed(latin, StandardFonts.Helvetica);
  const bold = await embed(latinBold, StandardFonts.HelveticaBold);
  const needsWide =
    cjk !== null &&
    Array.from(sample).some((ch) => {
      const cp = ch.codePointAt(0) ?? 32;
      return !regular.covers(cp) && cjk.covers(cp);
    });
  const wide =
    cjk && needsWide ? { font: await pdf.embedFont(cjk.bytes, { subset: false }), covers: cjk.covers } : null;
  return {
    cjk: cjk !== null,
    fonts: {
      runs(text, isBold = false) {
        const primary = isBold ? bold : regular;
        const out: { text: string; font: PDFFont }[] = [];
        for (const ch of text) {
          const cp = ch.codePointAt(0) ?? 63;
          let pick = primary;
          let c = ch;
          if (!primary.covers(cp)) {
            if (wide?.covers(cp)) pick = wide;
            else if (!regular.covers(cp)) c = '?';
          }
          const last = out[out.length - 1];
          if (last && last.font === pick.font) last.text += c;
          else out.push({ text: c, font: pick.font });
        }
        return out;
      },
    },
  };
}

/** A page writer: wraps text to the width, starts a new page when one is full. */
class PdfWriter {
  private page: PDFPage;
  private y: number;
  private readonly margin = 50;
  private readonly width = 595.28;
  private readonly height = 841.89;
  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: FontSet,
  ) {
    this.page = pdf.addPage([this.width, this.height]);
    this.y = this.height - this.margin;
  }

  private ensure(space: number) {
    if (this.y - space < this.margin) {
      this.page = this.pdf.addPage([this.width, this.height]);
      this.y = this.height - this.margin;
    }
  }

  private measure(text: string, size: number, bold: boolean) {
    return this.fonts.runs(text, bold).reduce((w, r) => w + r.font.widthOfTextAtSize(r.text, size), 0);
  }

  /** Lines of at most `width` points: breaks at spaces, or anywhere in CJK text. */
  private wrap(text: string, size: number, bold: boolean, width: number): string[] {
    const tokens = text.match(
      /[^\s\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]+\s*|[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]\s*|\s+/g,
    ) ?? [''];
    const lines: string[] = [];
    let line = '';
    for (const t of tokens) {
      if (line && this.measure(line + t, size, bold) > width) {
        lines.push(line.trimEnd());
        line = t.trimStart();
      } else line += t;
    }
    lines.push(line.trimEnd());
    return lines;
  }

  private draw(text: string, x: number, size: number, bold: boolean, color = rgb(0, 0, 0)) {
    let cx = x;
    for (const r of this.fonts.runs(text, bold)) {
      this.page.drawText(r.text, { x: cx, y: this.y, size, font: r.font, color });
      cx += r.font.widthOfTextAtSize(r.text, size);
    }
  }

  text(
    text: string,
    opts: { size?: number; bold?: boolean; grey?: boolean; x?: number; width?: number } = {},
  ) {
    const size = opts.size ?? 10;
    const x = opts.x ?? this.margin;
    const width = opts.width ?? this.width - x - this.margin;
    for (const line of this.wrap(text, size, opts.bold ?? false, width)) {
      this.ensure(size * 1.5);
      this.y -= size * 1.3;
      this.draw(line, x, size, opts.bold ?? false, opts.grey ? rgb(0.35, 0.35, 0.35) : undefined);
    }
  }

  row(label: string, value: string) {
    const size = 10;
    const labelWidth = 160;
    const valueX = this.margin + labelWidth + 10;
    const labelLines = this.wrap(label, size, true, labelWidth);
    const valueLines = this.wrap(value, size, false, this.width - valueX - this.margin);
    const n = Math.max(labelLines.length, valueLines.length);
    this.ensure(n * size * 1.4 + 4);
    for (let i = 0; i < n; i++) {
      this.y -= size * 1.4;
      this.draw(labelLines[i] ?? '', this.margin, size, true);
      this.draw(valueLines[i] ?? '', valueX, size, false);
    }
  }

  gap(points: number) {
    this.y -= points;
  }

  rule() {
    this.ensure(24);
    this.y -= 22;
    this.page.drawLine({
      start: { x: this.margin, y: this.y },
      end: { x: this.width - this.margin, y: this.y },
      thickness: 0.5,
      color: rgb(0.6, 0.6, 0.6),
    });
  }
}

/** The PDF and the language it was actually written in (English when CJK fonts are missing). */
export async function poeTemplatePdf(
  d: TemplateData,
  requested: TemplateLanguage,
): Promise<{ bytes: Uint8Array; language: TemplateLanguage }> {
  const pdf = await PDFDocument.create();
  const cjkInstalled = (await loadFont(pdfFontPaths.cjk)) !== null;
  const lang = requested.startsWith('zh') && !cjkInstalled ? 'en' : requested;
  const L = templateLabels[lang];
  const { fonts } = await fontSet(pdf, JSON.stringify([L, d]));
  pdf.setTitle(`${L.title} - ${d.claimName ?? d.claimId}`);
  pdf.setSubject(d.claimId);
  pdf.setCreator('cpor');
  pdf.setLanguage(lang);
  pdf.setCreationDate(d.generatedAt);
  pdf.setModificationDate(d.generatedAt);
  const w = new PdfWriter(pdf, fonts);
  w.text(L.title, { size: 20, bold: true });
  w.gap(4);
  w.text(L.intro, { grey: true });
  for (const s of sectionsOf(d, L)) {
    w.gap(10);
    w.text(s.heading, { size: 13, bold: true });
    w.gap(2);
    for (const [k, v] of s.rows) w.row(k, v);
  }
  w.gap(10);
  w.text(L.workDone, { size: 13, bold: true });
  w.text(L.workDoneHelp, { grey: true });
  for (let i = 0; i < 8; i++) w.rule();
  w.gap(14);
  w.text(L.signature, { size: 13, bold: true });
  w.text(L.signatureHelp, { grey: true });
  w.gap(6);
  w.row(L.name, d.customerContact?.name ?? blank);
  w.row(L.jobTitle, d.customerContact?.title ?? blank);
  w.gap(8);
  w.row(L.signed, blank);
  w.gap(8);
  w.row(L.date, blank);
  w.gap(16);
  w.text(`${L.claim}: ${d.claimId}`, { size: 8, grey: true });
  return { bytes: await pdf.save(), language: lang };
}
