import type { DetectedLanguage } from '../llm/offline/language.js';
import type { AgentReply } from './context.js';

// The offline engine reads and answers English only. A message confidently in another language is not
// routed on English rules (it would be misread, and could open a ticket nobody asked for): the reply
// says, in that language where we have it and in English, that answers are English-only for now,
// and offers a person. It ends with the offer question, so the customer's "yes" can accept it.

/** The route a stored notice carries (like `clarify`, not one of the classifier's routes). */
export const LANGUAGE_ROUTE = 'language';

/** Who gives the notice (the router answers it itself, as it does small talk). */
const NOTICE_AGENT = 'router';

/** The offer that closes every notice: the same question as any offer of a person. */
export const NOTICE_OFFER = 'Would you like me to connect you with someone?';

/** The notice in the languages we have it in: short, polite, the same three points as the English. */
export const NOTICE_TRANSLATIONS: Readonly<Record<string, string>> = {
  es: 'Por ahora solo puedo responder en inglés: las respuestas automáticas están disponibles únicamente en inglés. Puede escribirnos en inglés o hablar con una persona de nuestro equipo. ¿Quiere que le ponga en contacto con alguien?',
  fr: "Pour le moment, je ne peux répondre qu'en anglais : les réponses automatiques sont disponibles uniquement en anglais. Vous pouvez nous écrire en anglais ou parler à une personne de notre équipe. Voulez-vous que je vous mette en relation avec quelqu'un ?",
  de: 'Im Moment kann ich nur auf Englisch antworten: Automatische Antworten gibt es derzeit nur auf Englisch. Sie können uns auf Englisch schreiben oder mit einer Person aus unserem Team sprechen. Soll ich Sie mit jemandem verbinden?',
  pt: 'No momento, só consigo responder em inglês: as respostas automáticas estão disponíveis apenas em inglês. Você pode nos escrever em inglês ou falar com uma pessoa da nossa equipe. Gostaria que eu encaminhasse a conversa para alguém?',
  it: 'Al momento posso rispondere solo in inglese: le risposte automatiche sono disponibili soltanto in inglese. Può scriverci in inglese oppure parlare con una persona del nostro team. Vuole che la metta in contatto con qualcuno?',
  nl: 'Op dit moment kan ik alleen in het Engels antwoorden: automatische antwoorden zijn alleen in het Engels beschikbaar. U kunt ons in het Engels schrijven of met iemand van ons team spreken. Wilt u dat ik u met iemand in contact breng?',
  pl: 'W tej chwili mogę odpowiadać tylko po angielsku: automatyczne odpowiedzi są dostępne wyłącznie w języku angielskim. Możesz napisać do nas po angielsku albo porozmawiać z osobą z naszego zespołu. Czy połączyć Cię z kimś z zespołu?',
  tr: 'Şu anda yalnızca İngilizce yanıt verebiliyorum: otomatik yanıtlar yalnızca İngilizce olarak sunuluyor. Bize İngilizce yazabilir ya da ekibimizden biriyle görüşebilirsiniz. Sizi bir müşteri temsilcisine bağlamamı ister misiniz?',
  ru: 'Сейчас я могу отвечать только на английском: автоматические ответы доступны только на английском языке. Вы можете написать нам по-английски или поговорить с сотрудником нашей команды. Соединить вас с сотрудником?',
  ja: '現在、自動応答は英語のみの対応となっております。英語でご質問いただくか、担当者にご相談いただけます。担当者におつなぎしましょうか？',
  zh: '目前自动回复仅支持英语。您可以用英语提问，也可以由我们的客服人员为您提供帮助。需要我为您转接人工客服吗？',
};

/** The notice for a message in `language`: its translation (when we have one), then the English, ending with the offer. */
export function languageNotice(language: DetectedLanguage): string {
  const english = `It looks like you wrote in ${language.name}. I can only answer in English right now: automatic answers are available in English only. You can write to us in English, or a person from our team can help. ${NOTICE_OFFER}`;
  const translated = NOTICE_TRANSLATIONS[language.code];
  return translated ? `${translated}\n\n${english}` : english;
}

/** The reply a turn gets instead of an English offline answer to a message in another language (no ticket, no tools). */
export function languageNoticeReply(language: DetectedLanguage): AgentReply {
  return { agent: NOTICE_AGENT, content: languageNotice(language), citations: [], toolCalls: [], engine: 'offline' };
}
