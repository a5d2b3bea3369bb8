// The words of the mails in the five languages of the source pages, with the glossary's
// terms (docs: glossary.md): claim, PoE, customer consent, business days, statuses.
// Placeholders in braces are filled by mail-templates.ts.
import { languages, type Language } from '../domain/languages.js';

export const mailLanguages = languages;
export type MailLanguage = Language;

/** The mail variants: a template, and for some templates the case it is in. */
export type MailKind =
  | 'claim_approved'
  | 'partner_approved'
  | 'claim_rejected'
  | 'claim_rejected_final'
  | 'information_requested'
  | 'dispute_received'
  | 'dispute_overturned'
  | 'dispute_upheld'
  | 'association_superseded'
  | 'association_expired'
  | 'customer_declined'
  | 'overdue_digest';

export interface MailText {
  hello: string;
  footer: string;
  openClaim: string;
  denyLink: string;
  /** The digest's link (R-TIME-6). */
  openQueue: string;
  /** One line of the digest per claim. */
  digestLine: string;
  subjects: Record<MailKind, string>;
  bodies: Record<MailKind, string[]>;
  reasons: Record<string, string>;
}

const en: MailText = {
  hello: 'Hello {name},',
  footer:
    'This message was sent by cpor (customer associations, Claiming Partner of Record). Please do not reply.',
  openClaim: 'Open the claim',
  denyLink: 'See the association or deny customer consent',
  openQueue: 'Open the review queue',
  digestLine: '{claim} ({partner}): overdue since {since}',
  subjects: {
    partner_approved: 'Claim approved: {claim}',
    claim_approved: 'Customer association by {partner}: customer consent',
    claim_rejected: 'Claim rejected: {claim}',
    claim_rejected_final: 'Claim rejected: {claim}',
    information_requested: 'Partner action required: {claim}',
    dispute_received: 'Dispute received: {claim}',
    dispute_overturned: 'Dispute decided: {claim} approved',
    dispute_upheld: 'Dispute decided: {claim} stays rejected',
    association_superseded: 'Association ended: {claim}',
    association_expired: 'Subscription expired, association ended: {claim}',
    customer_declined: 'Customer denied consent: {claim}',
    overdue_digest: 'Overdue claims: {count}',
  },
  bodies: {
    partner_approved: [
      'Your claim "{claim}" for {domain} was approved. Products: {products}.',
      'The customer is notified and may deny customer consent until {until}; after that the association is final and goes to incentive eligibility evaluation. Approval does not mean incentives are earned.',
    ],
    claim_approved: [
      'The partner {partner} (MPN ID {mpnId}) claimed a customer association with your organization, and the claim "{claim}" was approved.',
      'Domain name: {domain}. Tenant ID: {tenantId}.',
      'Products: {products}.',
      'If you agree, there is nothing to do. If you do not, you can deny customer consent until {until}; after that the association is final.',
    ],
    claim_rejected: [
      'Your claim "{claim}" for {domain} was rejected. Reason: {reason}.',
      'You can dispute the rejection until {until}: open the claim, choose Dispute and give a business justification and/or updated proof of execution (PoE). After that date, submit a new claim with updated PoE.',
    ],
    claim_rejected_final: [
      'Your claim "{claim}" for {domain} was rejected. Reason: {reason}.',
      'This rejection cannot be disputed. You can submit a new claim with updated proof of execution (PoE).',
    ],
    information_requested: [
      'A reviewer needs more information on your claim "{claim}" for {domain}.',
      'Reasons: {reasons}.',
      'Comment: {comment}',
      'Respond and resubmit the claim by {until}. Without an answer by then, the claim is rejected (no partner response).',
    ],
    dispute_received: [
      'We received your dispute of the rejection of the claim "{claim}". A reviewer answers within {days} business days.',
    ],
    dispute_overturned: [
      'Your dispute was accepted: the claim "{claim}" is approved.',
      'The customer is notified and may deny customer consent until {until}.',
    ],
    dispute_upheld: [
      'Your dispute was not accepted: the claim "{claim}" stays rejected. Reason: {reason}.',
      'To claim again, submit a new claim with updated proof of execution (PoE).',
    ],
    association_superseded: [
      'Another partner\'s claim for {domain} was approved for products of your claim "{claim}", so your association with them ended (superseded).',
      "The claim's history shows the details.",
    ],
    association_expired: [
      'The customer\'s subscription {products} of your claim "{claim}" for {domain} expired, so your association with it ended (subscription expired).',
      "The claim's history shows the details.",
    ],
    customer_declined: [
      'The customer denied customer consent for your claim "{claim}" for {domain}.',
      "The claim is rejected (customer declined) and the products are free again. A customer's denial cannot be disputed.",
    ],
    overdue_digest: [
      'These claims passed a reviewer deadline (SLA) since the last digest and are still waiting on a reviewer ({count}):',
    ],
  },
  reasons: {
    poe_missing: 'proof of execution (PoE) missing, wrong file or not of this claim',
    customer_signature_missing: "customer's signature missing",
    dates_missing_or_old: 'dates missing or too old',
    partner_solution_missing: 'the work done is not described',
    products_missing: 'the PoE lacks a claimed product',
    partner_request: "at the partner's request",
    customer_declined: 'the customer declined',
    insufficient_poe: 'insufficient proof of execution (PoE)',
    missing_customer_consent: 'missing customer consent',
    missing_products: 'missing products',
    no_partner_response: 'no partner response',
    poe_unavailable: 'proof of execution (PoE) unavailable',
  },
};

const ptBR: MailText = {
  hello: 'Olá, {name},',
  footer: 'Mensagem enviada pelo cpor (associações do cliente, Claiming Partner of Record). Não responda.',
  openClaim: 'Abrir a declaração',
  denyLink: 'Ver a associação ou negar o consentimento do cliente',
  openQueue: 'Abrir a fila de revisão',
  digestLine: '{claim} ({partner}): atrasada desde {since}',
  subjects: {
    partner_approved: 'Declaração aprovada: {claim}',
    claim_approved: 'Associação de cliente por {partner}: consentimento do cliente',
    claim_rejected: 'Declaração rejeitada: {claim}',
    claim_rejected_final: 'Declaração rejeitada: {claim}',
    information_requested: 'Ação de parceiro necessária: {claim}',
    dispute_received: 'Contestação recebida: {claim}',
    dispute_overturned: 'Contestação decidida: {claim} aprovada',
    dispute_upheld: 'Contestação decidida: {claim} continua rejeitada',
    association_superseded: 'Associação encerrada: {claim}',
    association_expired: 'Assinatura expirada, associação encerrada: {claim}',
    customer_declined: 'O cliente negou o consentimento: {claim}',
    overdue_digest: 'Declarações atrasadas: {count}',
  },
  bodies: {
    partner_approved: [
      'Sua declaração "{claim}" para {domain} foi aprovada. Produtos: {products}.',
      'O cliente é notificado e pode negar o consentimento do cliente até {until}; depois disso a associação é final e segue para a avaliação de elegibilidade a incentivos. A aprovação não significa que os incentivos foram obtidos.',
    ],
    claim_approved: [
      'O parceiro {partner} (ID de MPN {mpnId}) declarou uma associação de cliente com a sua organização, e a declaração "{claim}" foi aprovada.',
      'Nome de domínio: {domain}. ID de locatário: {tenantId}.',
      'Produtos: {products}.',
      'Se você concorda, não é preciso fazer nada. Se não concorda, pode negar o consentimento do cliente até {until}; depois disso a associação é definitiva.',
    ],
    claim_rejected: [
      'Sua declaração "{claim}" para {domain} foi rejeitada. Motivo: {reason}.',
      'Você pode abrir uma contestação até {until}: abra a declaração, escolha Contestação e dê uma justificativa comercial e/ou uma prova de execução (PoE) atualizada. Depois dessa data, envie uma nova declaração com a PoE atualizada.',
    ],
    claim_rejected_final: [
      'Sua declaração "{claim}" para {domain} foi rejeitada. Motivo: {reason}.',
      'Esta rejeição não pode ser contestada. Você pode enviar uma nova declaração com uma prova de execução (PoE) atualizada.',
    ],
    information_requested: [
      'Um revisor precisa de mais informações sobre a sua declaração "{claim}" para {domain}.',
      'Motivos: {reasons}.',
      'Comentário: {comment}',
      'Responda e reenvie a declaração até {until}. Sem resposta até lá, a declaração é rejeitada (sem resposta do parceiro).',
    ],
    dispute_received: [
      'Recebemos a sua contestação da rejeição da declaração "{claim}". Um revisor responde em até {days} dias úteis.',
    ],
    dispute_overturned: [
      'Sua contestação foi aceita: a declaração "{claim}" foi aprovada.',
      'O cliente foi notificado e pode negar o consentimento do cliente até {until}.',
    ],
    dispute_upheld: [
      'Sua contestação não foi aceita: a declaração "{claim}" continua rejeitada. Motivo: {reason}.',
      'Para declarar de novo, envie uma nova declaração com uma prova de execução (PoE) atualizada.',
    ],
    association_superseded: [
      'A declaração de outro parceiro para {domain} foi aprovada para produtos da sua declaração "{claim}", e a sua associação com eles foi encerrada (substituída).',
      'O Histórico da declaração mostra os detalhes.',
    ],
    association_expired: [
      'A assinatura {products} do cliente, da sua declaração "{claim}" para {domain}, expirou, e a sua associação com ela foi encerrada (assinatura expirada).',
      'O Histórico da declaração mostra os detalhes.',
    ],
    customer_declined: [
      'O cliente negou o consentimento do cliente para a sua declaração "{claim}" para {domain}.',
      'A declaração foi rejeitada (o cliente recusou) e os produtos estão livres novamente. A recusa do cliente não pode ser contestada.',
    ],
    overdue_digest: [
      'Cada declaração a seguir passou do prazo de revisão (SLA) desde o último resumo e ainda aguarda um revisor ({count}):',
    ],
  },
  reasons: {
    poe_missing: 'prova de execução (PoE) ausente, arquivo errado ou de outra declaração',
    customer_signature_missing: 'falta a assinatura do cliente',
    dates_missing_or_old: 'datas ausentes ou antigas',
    partner_solution_missing: 'o trabalho realizado não está descrito',
    products_missing: 'falta um produto declarado na PoE',
    partner_request: 'a pedido do parceiro',
    customer_declined: 'o cliente recusou',
    insufficient_poe: 'prova de execução (PoE) insuficiente',
    missing_customer_consent: 'falta o consentimento do cliente',
    missing_products: 'produtos ausentes',
    no_partner_response: 'sem resposta do parceiro',
    poe_unavailable: 'prova de execução (PoE) indisponível',
  },
};

const esES: MailText = {
  hello: 'Hola, {name}:',
  footer: 'Mensaje enviado por cpor (asociaciones de clientes, Claiming Partner of Record). No responda.',
  openClaim: 'Abrir la reclamación',
  denyLink: 'Ver la asociación o denegar el consentimiento del cliente',
  openQueue: 'Abrir la cola de revisión',
  digestLine: '{claim} ({partner}): vencida desde el {since}',
  subjects: {
    partner_approved: 'Reclamación aprobada: {claim}',
    claim_approved: 'Asociación de clientes de {partner}: consentimiento del cliente',
    claim_rejected: 'Reclamación rechazada: {claim}',
    claim_rejected_final: 'Reclamación rechazada: {claim}',
    information_requested: 'Acción de asociado requerida: {claim}',
    dispute_received: 'Disputa recibida: {claim}',
    dispute_overturned: 'Disputa resuelta: {claim} aprobada',
    dispute_upheld: 'Disputa resuelta: {claim} sigue rechazada',
    association_superseded: 'Asociación finalizada: {claim}',
    association_expired: 'Suscripción caducada, asociación finalizada: {claim}',
    customer_declined: 'El cliente denegó el consentimiento: {claim}',
    overdue_digest: 'Reclamaciones vencidas: {count}',
  },
  bodies: {
    partner_approved: [
      'Su reclamación "{claim}" para {domain} se ha aprobado. Productos: {products}.',
      'Se notifica al cliente, que puede denegar el consentimiento del cliente hasta {until}; después la asociación es definitiva y pasa a la evaluación de idoneidad para incentivos. La aprobación no significa que se hayan obtenido incentivos.',
    ],
    claim_approved: [
      'El asociado {partner} (Id. de MPN {mpnId}) ha declarado una asociación de clientes con su organización y la reclamación "{claim}" se ha aprobado.',
      'Nombre de dominio: {domain}. Id. de inquilino: {tenantId}.',
      'Productos: {products}.',
      'Si está de acuerdo, no tiene que hacer nada. Si no lo está, puede denegar el consentimiento del cliente hasta el {until}; después la asociación es definitiva.',
    ],
    claim_rejected: [
      'Su reclamación "{claim}" para {domain} se ha rechazado. Motivo: {reason}.',
      'Puede abrir una disputa hasta el {until}: abra la reclamación, elija Disputa y aporte una justificación comercial o una prueba de ejecución (PoE) actualizada. Después de esa fecha, envíe una nueva reclamación con la PoE actualizada.',
    ],
    claim_rejected_final: [
      'Su reclamación "{claim}" para {domain} se ha rechazado. Motivo: {reason}.',
      'Este rechazo no admite disputa. Puede enviar una nueva reclamación con una prueba de ejecución (PoE) actualizada.',
    ],
    information_requested: [
      'Un revisor necesita más información sobre su reclamación "{claim}" para {domain}.',
      'Motivos: {reasons}.',
      'Comentario: {comment}',
      'Responda y vuelva a enviar la reclamación antes del {until}. Sin respuesta, la reclamación se rechaza (sin respuesta del asociado).',
    ],
    dispute_received: [
      'Hemos recibido su disputa del rechazo de la reclamación "{claim}". Un revisor responde en un plazo de {days} días laborables.',
    ],
    dispute_overturned: [
      'Su disputa se ha aceptado: la reclamación "{claim}" está aprobada.',
      'Se ha avisado al cliente, que puede denegar el consentimiento del cliente hasta el {until}.',
    ],
    dispute_upheld: [
      'Su disputa no se ha aceptado: la reclamación "{claim}" sigue rechazada. Motivo: {reason}.',
      'Para volver a reclamar, envíe una nueva reclamación con una prueba de ejecución (PoE) actualizada.',
    ],
    association_superseded: [
      'Se ha aprobado la reclamación de otro asociado para {domain} sobre productos de su reclamación "{claim}", por lo que su asociación con ellos ha finalizado (sustituida).',
      'El Historial de la reclamación muestra los detalles.',
    ],
    association_expired: [
      'La suscripción {products} del cliente, de su reclamación "{claim}" para {domain}, caducó, y su asociación con ella finalizó (suscripción caducada).',
      'El Historial de la reclamación muestra los detalles.',
    ],
    customer_declined: [
      'El cliente ha denegado el consentimiento del cliente para su reclamación "{claim}" para {domain}.',
      'La reclamación se ha rechazado (el cliente la rechazó) y los productos vuelven a estar libres. La negativa del cliente no admite disputa.',
    ],
    overdue_digest: [
      'Cada reclamación de la lista superó el plazo de revisión (SLA) desde el último resumen y sigue esperando a un revisor ({count}):',
    ],
  },
  reasons: {
    poe_missing: 'falta la prueba de ejecución (PoE), archivo incorrecto o de otra reclamación',
    customer_signature_missing: 'falta la firma del cliente',
    dates_missing_or_old: 'faltan fechas o son antiguas',
    partner_solution_missing: 'no se describe el trabajo realizado',
    products_missing: 'la PoE no incluye un producto reclamado',
    partner_request: 'a petición del asociado',
    customer_declined: 'el cliente la rechazó',
    insufficient_poe: 'prueba de ejecución (PoE) insuficiente',
    missing_customer_consent: 'falta el consentimiento del cliente',
    missing_products: 'faltan productos',
    no_partner_response: 'sin respuesta del asociado',
    poe_unavailable: 'prueba de ejecución (PoE) no disponible',
  },
};

const zhCN: MailText = {
  hello: '{name}，您好：',
  footer: '此邮件由 cpor（客户关联，Claiming Partner of Record）发送，请勿回复。',
  openClaim: '打开声明',
  denyLink: '查看关联或拒绝客户同意',
  openQueue: '打开评审队列',
  digestLine: '{claim}（{partner}）：自 {since} 起逾期',
  subjects: {
    partner_approved: '声明已批准：{claim}',
    claim_approved: '{partner} 的客户关联：客户同意',
    claim_rejected: '声明已拒绝：{claim}',
    claim_rejected_final: '声明已拒绝：{claim}',
    information_requested: '需要合作伙伴操作：{claim}',
    dispute_received: '已收到争议：{claim}',
    dispute_overturned: '争议已裁决：{claim} 已批准',
    dispute_upheld: '争议已裁决：{claim} 仍为已拒绝',
    association_superseded: '关联已结束：{claim}',
    association_expired: '订阅已过期，关联已结束：{claim}',
    customer_declined: '客户拒绝了同意：{claim}',
    overdue_digest: '逾期的声明：{count} 个',
  },
  bodies: {
    partner_approved: [
      '您针对 {domain} 的声明“{claim}”已获批准。产品：{products}。',
      '客户已收到通知，可在 {until} 之前拒绝客户同意；此后关联即为最终结果，并进入奖励资格评估。批准并不意味着已获得奖励。',
    ],
    claim_approved: [
      '合作伙伴 {partner}（MPN ID {mpnId}）声明了与贵组织的客户关联，声明“{claim}”已批准。',
      '域名：{domain}。租户 ID：{tenantId}。',
      '产品：{products}。',
      '如果您同意，无需任何操作。如果不同意，您可以在 {until} 之前拒绝客户同意；此后关联即为最终结果。',
    ],
    claim_rejected: [
      '您针对 {domain} 的声明“{claim}”已拒绝。原因：{reason}。',
      '您可以在 {until} 之前提出争议：打开声明，选择“争议”，并提供业务理由和/或更新的执行证明 (PoE)。此日期之后，请使用更新的 PoE 提交新的声明。',
    ],
    claim_rejected_final: [
      '您针对 {domain} 的声明“{claim}”已拒绝。原因：{reason}。',
      '此拒绝不能提出争议。您可以使用更新的执行证明 (PoE) 提交新的声明。',
    ],
    information_requested: [
      '评审者需要您针对 {domain} 的声明“{claim}”的更多信息。',
      '原因：{reasons}。',
      '评论：{comment}',
      '请在 {until} 之前答复并重新提交声明。届时未答复，声明将被拒绝（合作伙伴未答复）。',
    ],
    dispute_received: ['我们已收到您对声明“{claim}”被拒绝的争议。评审者将在 {days} 个工作日内答复。'],
    dispute_overturned: [
      '您的争议已被接受：声明“{claim}”已批准。',
      '已通知客户，客户可在 {until} 之前拒绝客户同意。',
    ],
    dispute_upheld: [
      '您的争议未被接受：声明“{claim}”仍为已拒绝。原因：{reason}。',
      '如需再次声明，请使用更新的执行证明 (PoE) 提交新的声明。',
    ],
    association_superseded: [
      '另一合作伙伴针对 {domain} 的声明已就您的声明“{claim}”中的产品获得批准，您与这些产品的关联已结束（被取代）。',
      '声明的历史记录中有详细信息。',
    ],
    association_expired: [
      '您的声明“{claim}”（{domain}）中客户的订阅 {products} 已过期，因此您与其的关联已结束（订阅已过期）。',
      '声明的历史记录中有详细信息。',
    ],
    customer_declined: [
      '客户拒绝了您针对 {domain} 的声明“{claim}”的客户同意。',
      '声明已拒绝（客户拒绝），相关产品已重新可用。客户的拒绝不能提出争议。',
    ],
    overdue_digest: ['自上次摘要以来，以下声明已超过评审截止时间（SLA），仍在等待评审员处理（{count} 个）：'],
  },
  reasons: {
    poe_missing: '缺少执行证明 (PoE)、文件错误或不属于此声明',
    customer_signature_missing: '缺少客户签名',
    dates_missing_or_old: '缺少日期或日期过旧',
    partner_solution_missing: '未描述已完成的工作',
    products_missing: 'PoE 缺少所声明的产品',
    partner_request: '应合作伙伴要求',
    customer_declined: '客户拒绝',
    insufficient_poe: '执行证明 (PoE) 不足',
    missing_customer_consent: '缺少客户同意',
    missing_products: '缺少产品',
    no_partner_response: '合作伙伴未答复',
    poe_unavailable: '执行证明 (PoE) 不可用',
  },
};

const zhTW: MailText = {
  hello: '{name}，您好：',
  footer: '此郵件由 cpor（客戶關聯，Claiming Partner of Record）傳送，請勿回覆。',
  openClaim: '開啟宣告',
  denyLink: '檢視關聯或拒絕客戶同意',
  openQueue: '開啟檢閱佇列',
  digestLine: '{claim}（{partner}）：自 {since} 起逾期',
  subjects: {
    partner_approved: '宣告已核准：{claim}',
    claim_approved: '{partner} 的客戶關聯：客戶同意',
    claim_rejected: '宣告已拒絕：{claim}',
    claim_rejected_final: '宣告已拒絕：{claim}',
    information_requested: '需要合作夥伴動作：{claim}',
    dispute_received: '已收到爭議：{claim}',
    dispute_overturned: '爭議已裁決：{claim} 已核准',
    dispute_upheld: '爭議已裁決：{claim} 仍為已拒絕',
    association_superseded: '關聯已結束：{claim}',
    association_expired: '訂用帳戶已到期，關聯已結束：{claim}',
    customer_declined: '客戶拒絕了同意：{claim}',
    overdue_digest: '逾期的宣告：{count} 個',
  },
  bodies: {
    partner_approved: [
      '您針對 {domain} 的宣告「{claim}」已核准。產品：{products}。',
      '客戶已收到通知，可在 {until} 之前拒絕客戶同意；此後關聯即為最終結果，並進入獎勵資格評估。核准並不表示已獲得獎勵。',
    ],
    claim_approved: [
      '合作夥伴 {partner}（MPN 識別碼 {mpnId}）宣告了與貴組織的客戶關聯，宣告「{claim}」已核准。',
      '網域名稱：{domain}。租用戶識別碼：{tenantId}。',
      '產品：{products}。',
      '如果您同意，不需要任何動作。如果不同意，您可以在 {until} 之前拒絕客戶同意；之後關聯即為最終結果。',
    ],
    claim_rejected: [
      '您針對 {domain} 的宣告「{claim}」已拒絕。原因：{reason}。',
      '您可以在 {until} 之前提出爭議：開啟宣告，選擇「爭議」，並提供業務理由和/或更新的執行證明 (PoE)。此日期之後，請使用更新的 PoE 提交新的宣告。',
    ],
    claim_rejected_final: [
      '您針對 {domain} 的宣告「{claim}」已拒絕。原因：{reason}。',
      '此拒絕無法提出爭議。您可以使用更新的執行證明 (PoE) 提交新的宣告。',
    ],
    information_requested: [
      '檢閱者需要您針對 {domain} 的宣告「{claim}」的更多資訊。',
      '原因：{reasons}。',
      '註解：{comment}',
      '請在 {until} 之前回覆並重新提交宣告。屆時未回覆，宣告將被拒絕（合作夥伴未回覆）。',
    ],
    dispute_received: ['我們已收到您對宣告「{claim}」遭拒絕的爭議。檢閱者將在 {days} 個工作天內回覆。'],
    dispute_overturned: [
      '您的爭議已被接受：宣告「{claim}」已核准。',
      '已通知客戶，客戶可在 {until} 之前拒絕客戶同意。',
    ],
    dispute_upheld: [
      '您的爭議未被接受：宣告「{claim}」仍為已拒絕。原因：{reason}。',
      '如需再次宣告，請使用更新的執行證明 (PoE) 提交新的宣告。',
    ],
    association_superseded: [
      '另一合作夥伴針對 {domain} 的宣告已就您的宣告「{claim}」中的產品獲得核准，您與這些產品的關聯已結束（被取代）。',
      '宣告的歷程記錄中有詳細資訊。',
    ],
    association_expired: [
      '您的宣告「{claim}」（{domain}）中客戶的訂用帳戶 {products} 已到期，因此您與其的關聯已結束（訂用帳戶已到期）。',
      '宣告的歷程記錄中有詳細資訊。',
    ],
    customer_declined: [
      '客戶拒絕了您針對 {domain} 的宣告「{claim}」的客戶同意。',
      '宣告已拒絕（客戶拒絕），相關產品已重新可用。客戶的拒絕無法提出爭議。',
    ],
    overdue_digest: ['自上次摘要以來，以下宣告已超過檢閱截止時間（SLA），仍在等待檢閱者處理（{count} 個）：'],
  },
  reasons: {
    poe_missing: '缺少執行證明 (PoE)、檔案錯誤或不屬於此宣告',
    customer_signature_missing: '缺少客戶簽名',
    dates_missing_or_old: '缺少日期或日期過舊',
    partner_solution_missing: '未描述已完成的工作',
    products_missing: 'PoE 缺少所宣告的產品',
    partner_request: '應合作夥伴要求',
    customer_declined: '客戶拒絕',
    insufficient_poe: '執行證明 (PoE) 不足',
    missing_customer_consent: '缺少客戶同意',
    missing_products: '缺少產品',
    no_partner_response: '合作夥伴未回覆',
    poe_unavailable: '執行證明 (PoE) 無法使用',
  },
};

export const mailText: Record<MailLanguage, MailText> = {
  en,
  'pt-BR': ptBR,
  'es-ES': esES,
  'zh-CN': zhCN,
  'zh-TW': zhTW,
};
