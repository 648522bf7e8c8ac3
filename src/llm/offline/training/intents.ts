/**
 * Templated customer requests, written for this project (see expand.ts for the notation). They widen
 * the hand-written utterances in training-data.ts with the phrasings, openers, entity formats, typos
 * and lengths real customers use: "I need assistance to cancel purchase 3707955617", "help me see the
 * bill from March", "how long does the shipment take". Each group is one route; the line between
 * routes is the one training-data.ts and eval/public/mapping.ts draw (general how-to and policy →
 * faq; one's own records, looking them up or acting on them → account; a person, a dispute, fraud,
 * a security incident, a complaint → escalation).
 */
import type { Route } from '../routes.js';
import { expand, type Slots } from './expand.js';

export const SLOTS: Slots = {
  order: [
    'ORD-104233',
    'ORD-100871',
    '3707955617',
    '12345678',
    '88123456',
    '#4471902',
    '000561234',
    '45009871',
    '9081726354',
    'no. 552310',
    '#ORD-100452',
    '20260411',
    '730112',
    '1Z999AA10123456784',
    'ord-100993',
    'number 66104',
  ],
  invoice: ['INV-2026-00311', 'INV-2025-01822', '00845123', '#99231', 'inv-2026-00102', '2026-0317', '41120077', 'number 8812'],
  month: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December', 'last month', 'this month'],
  person: ['Maria', 'John Smith', 'my colleague Dave', 'Acme Ltd', 'Anna', 'the finance team', 'Kim Lee', 'our old admin'],
  plan: ['Starter', 'Pro', 'Business', 'Enterprise'],
  product: ['headset', 'desk phone', 'DP-600 phone', 'H-200 headset', 'wireless headset', 'headsets', 'desk phones', 'phone'],
  country: ['Canada', 'Germany', 'Mexico', 'the UK', 'Australia', 'France', 'Brazil', 'Japan', 'Spain', 'India', 'Ireland'],
  amount: ['$49', '$129', '€80', '$1,299', '£35', '$20', '99 dollars'],
  n: ['3', '5', '10', '12', '25', 'two', 'five'],
  email: ['jane.doe@example.com', 'ops@acme.io', 'mark@contoso.co'],
};

// Openers customers put before a request; each template below picks one of these groups.
const WANT =
  "{I want to|I'd like to|I would like to|I need to|I wanna|I have to|I must|let me|help me|can you help me|could you help me|I need help to|I need assistance to|I need help trying to|I'm trying to|I am trying to|please help me|can I|could I|is it possible to|how can I|how do I|how could I|what do I need to do to|what should I do to|I don't know how to|i cant|I can't|tell me how to|show me how to|where can I|where do I|assist me to|I'd need to}";
const HELLO = '{|hi, |hello, |hey, |good morning, |hi there, |hello! |yo |dear support, |}';
const PLEASE = '{| please| pls|}';
const MY_ORDER =
  '{my order|the order|my purchase|the purchase|my package|my parcel|my shipment|my delivery|order <order>|purchase <order>|order number <order>|the order <order>|my order <order>|purchase number <order>|the item I bought|what I ordered|my <product> order|the <product> I ordered}';
const MY_INVOICE =
  '{my invoice|the invoice|my bill|my bills|the bill|my receipt|invoice <invoice>|bill <invoice>|invoice number <invoice>|the bill from <person>|the invoice from <month>|my bill from <month>|the bill for <month>|the invoice of <person>|bill #<invoice>|the receipt for order <order>|my statement}';
const MY_REFUND = '{my refund|the refund|my reimbursement|the reimbursement|my money back|the refund for order <order>|my refund for purchase <order>|the money you owe me|the refund you promised}';
const MY_SUBSCRIPTION = '{my subscription|our subscription|my plan|our plan|the <plan> plan|my <plan> subscription|my account|our workspace|the subscription}';

const ACCOUNT_TEMPLATES: readonly string[] = [
  // cancel an order
  `${HELLO}${WANT} {cancel|call off|cancell|revoke|stop} ${MY_ORDER}${PLEASE}`,
  `${HELLO}{cancel|please cancel|can you cancel|could you cancel|I want you to cancel} ${MY_ORDER}{|, it hasn't shipped yet|, I don't need it anymore|, I changed my mind| before it ships|, I ordered by mistake}`,
  `{I ordered by mistake|I placed an order by mistake|I made a mistake with my order|I don't want my order anymore}{|, can you cancel it|, how do I cancel it|, cancel it please|. cancel ${MY_ORDER}}`,
  // change an order
  `${HELLO}${WANT} {change|modify|edit|update|correct|fix|add an item to|remove an item from|swap the color in|change the quantity in} ${MY_ORDER}`,
  `{can you|could you|please} {change|update|modify|edit} ${MY_ORDER}{| to <n> units| to the DP-600| to express shipping}`,
  `{I ordered the wrong <product>|I chose the wrong size|I picked the wrong model}{|, can I change ${MY_ORDER}|, please change it}`,
  // shipping address
  `${HELLO}${WANT} {change|update|edit|correct|fix|modify|set up|set|add|enter} {my|the} {shipping|delivery} address{| for ${MY_ORDER}| on ${MY_ORDER}| on my account|}`,
  `{I moved|we moved offices|my address changed|I entered the wrong address|I typed the wrong address}{|, please update the shipping address|, can you change where ${MY_ORDER} ships|, change the delivery address for ${MY_ORDER}}`,
  // track an order
  `${HELLO}{where is|where's|wheres|what is the status of|what's the status of|status of|any update on|track|can you track|I want to track|help me track|I need to track|I'd like to check|check the status of|locate|find} ${MY_ORDER}{|?|, it's late|, it hasn't arrived|, it was supposed to arrive <month>}`,
  `{when will|when does|when is} ${MY_ORDER} {arrive|get here|be delivered|ship|going to arrive|be shipped}{|?}`,
  `{has|did} ${MY_ORDER} {shipped|ship yet|been sent|left the warehouse|been delivered}{|?}`,
  `{tracking number for|I need the tracking number of|can I get tracking for|send me the tracking link for} ${MY_ORDER}`,
  `{I haven't received|still haven't received|never got|didn't get} ${MY_ORDER} {yet||, where is it|, can you check}`,
  // track or ask for a refund
  `${HELLO}{where is|what's the status of|status of|track|check|any news on|what happened to|has there been any progress on|I want to check|can you check} ${MY_REFUND}{|?}`,
  `{when will I get|when do I get|when am I getting|how long until I get|did you send|have you processed} ${MY_REFUND}{|?| back}`,
  `${HELLO}${WANT} {get|request|ask for|claim|receive|obtain} {a refund|my money back|a reimbursement|a refund for ${MY_ORDER}|reimbursed for ${MY_ORDER}|a refund on ${MY_INVOICE}}`,
  `{refund|please refund|I want a refund for|reimburse me for|money back for} ${MY_ORDER}{|, it arrived broken|, it was defective|, I returned it|, it never came}`,
  `{I returned|I sent back|we shipped back} {the <product>|${MY_ORDER}|my <product>} {<n> weeks ago|last week|on <month> 3} {and|but} {haven't|still haven't|never} {got|received|seen} {my refund|the money|a refund}`,
  // returns and exchanges of one's own purchase
  `${HELLO}${WANT} {return|send back|exchange|replace} {the <product> I bought|${MY_ORDER}|my <product>|the <product> from order <order>}`,
  `{start a return for|open a return for|I need a return label for|RMA for|create a return for} ${MY_ORDER}`,
  `{my|the} <product> {arrived broken|is defective|stopped working|came damaged|has a cracked screen|won't turn on}{|, I want a replacement|, send me a new one|, I want to return it|, I need a refund}`,
  // invoices and bills
  `${HELLO}${WANT} {see|view|check|download|get|find|look at|print|receive|take a look at|access|open|have a look at} ${MY_INVOICE}`,
  `{send me|email me|can you send|could you send me|I need a copy of|please resend|give me} ${MY_INVOICE}{| as a PDF| again| to <email>}`,
  `{what is|what's|how much is|how much was} {the amount on|the total of|the balance on|due on} ${MY_INVOICE}{|?}`,
  `{is|was} ${MY_INVOICE} {paid|overdue|settled|still open}{|?}`,
  `{show me|list|what are} {my invoices|my bills|my last invoices|my recent bills|my payment history|my past payments|the invoices on my account}`,
  `{I have a question about|there's a problem with|something is off with|I don't understand} ${MY_INVOICE}`,
  `{why was I charged|why did you charge me|what is the charge of|what's this charge of} {<amount>|<amount> on <month> 2|<amount> on ${MY_INVOICE}}{|?}`,
  // subscription, plan, seats
  `${HELLO}${WANT} {cancel|end|stop|terminate|cancell} ${MY_SUBSCRIPTION}`,
  `${HELLO}${WANT} {upgrade|downgrade|switch|change|move} {my plan|our plan|my subscription|us|the workspace|my account} {to <plan>|from <plan> to <plan>|to the <plan> plan|to annual billing|to monthly billing}`,
  `${HELLO}${WANT} {add|remove|buy|drop|reduce|increase} {<n> seats|seats|<n> users|a seat|<n> licenses} {|to|from} {my plan|our subscription|the account|our workspace|}`,
  `{what plan am I on|which plan do we have|when does my subscription renew|when is my next payment|what is my renewal date|how many seats do we have|how many seats am I paying for|when does my trial end|am I on the <plan> plan}{|?}`,
  `{what's|what is|show me} {my|our} {current plan|subscription status|next invoice|account balance|billing details|payment method on file|renewal date}`,
  // the account and its details
  `${HELLO}${WANT} {change|update|edit|modify|correct} {my email|the email on my account|my name|my phone number|my billing address|my company name|my account details|my profile|my personal details|my card|my payment method|the card on file}`,
  `${HELLO}${WANT} {close|delete|remove|deactivate|cancel|terminate|get rid of} {my account|our account|my profile|the account|this account}`,
  `${HELLO}${WANT} {switch to another account|change the account owner|move to a different account|merge my two accounts|use a different account}`,
  `{my payment failed|my card was declined when paying my bill|the payment for ${MY_INVOICE} didn't go through|I couldn't pay ${MY_INVOICE}}{|, what now|, can you check|, please help}`,
  // seats on one's own subscription (an action, not the seat policy)
  `${HELLO}{add|remove|buy|give us|I need|we need|get me|drop|cancel} {<n>|one more|another|two more|a few} {seats|seat|users|licenses|user licenses}{| to ${MY_SUBSCRIPTION}| on ${MY_SUBSCRIPTION}| for my team|}${PLEASE}`,
];

const FAQ_TEMPLATES: readonly string[] = [
  // delivery times and options
  `${HELLO}{how long does|how long will|how many days does|how much time does} {shipping|delivery|the shipment|the delivery|a shipment|standard shipping|express shipping|shipping to <country>|delivery to <country>|an order} {take|usually take|normally take}{|?}`,
  `{what are|what're|tell me|I'd like to know|can you tell me|I want to know} {the|your} {delivery|shipping} {times|options|methods|period|periods|costs|rates}{| to <country>| for <country>|}{|?}`,
  `{do you|can you|is it possible to} {ship|deliver|send orders} {to <country>|internationally|abroad|overseas|to a PO box|on weekends|express}{|?}`,
  `{how much is|how much does|what does} {shipping|express delivery|delivery to <country>|overnight shipping|international shipping} {cost|}{|?}`,
  `{which|what} {carriers|couriers|shipping companies|delivery services} do you use{|?}`,
  `{when will|how soon will|how fast will} {an order|my order} {arrive|ship|be delivered} if I order {today|now|on a Friday|this week}{|?}`,
  `{how long does it take to|how many days does it take to|how long will it take to|how much time does it take to} {receive|get} {an order|my order|a package|the headsets|a <product>|my purchase|the delivery}{| to <country>|}{|?}`,
  // buying, reviews
  `${HELLO}{I want to|I'd like to|help me|I need to|how do I|how can I|can I} {place an order|buy|purchase|order|make a purchase} {for <n> <product>s|a <product>|some headsets|more desk phones|online|}`,
  `${HELLO}{how can I|I want to|where can I|I'd like to|can I} {leave|write|submit|post|give} {a review|feedback|a comment|a rating} {about your service|for a product|on a <product>|}`,
  // refund, return, cancellation policies
  `${HELLO}{what is|what's|tell me|can you explain|I want to know|where can I read|where can I check|I need to know|where do I find} {your|the} {refund|return|returns|cancellation|exchange|money-back|warranty} policy{|?}`,
  `{how long do|how long does it take for|how many days do|when do} {refunds|a refund|the refund|reimbursements|returns} {take|to arrive|to process|to show up|take to go through|get processed}{|?}`,
  `{is there|are there|do you charge|will I pay} {a cancellation fee|cancellation fees|any fee to cancel|a fee for cancelling|a restocking fee|fees for returns|an early termination fee}{|?}`,
  `{is there a fee|do I pay anything|does it cost anything|will I be charged|is there a penalty} if I {cancel|end|downgrade|return} {my plan|my order|my subscription|early|an order|a plan}{|?}`,
  `{where can I|how can I|I want to|help me} {check|see|find out|know} {the|your} {cancellation fees|cancellation penalty|early termination fee|fees for cancelling}`,
  `{how many days do I have to|until when can I|what's the deadline to} {return|send back|exchange} {a product|an item|a <product>|my purchase}{|?}`,
  `{can I|is it possible to|am I allowed to} {return|get a refund for} {a <product> I opened|an opened box|a used <product>|a subscription I cancelled mid-cycle|an annual plan}{|?}`,
  `{who pays|do I pay|do you cover} {for return shipping|the return shipping|the shipping on returns}{|?}`,
  // payment methods
  `${HELLO}{what|which} {payment methods|payment options|forms of payment|ways to pay|cards} do you {accept|take|support|allow}{|?}`,
  `{can I|do you let me|is it possible to} {pay|pay you} {with PayPal|by wire transfer|with a credit card|by bank transfer|with Apple Pay|by invoice|in euros|with a debit card|in installments}{|?}`,
  `{where can I|how can I|I want to} {check|see|find|know} {the|your} {payment methods|payment options|accepted cards|allowed payment methods}`,
  // accounts: create, register, password
  `${HELLO}${WANT} {create|open|register|set up|make|sign up for} {an account|a new account|a user account|a free account|an account with you}`,
  `{I can't|I cannot|I'm unable to|problems trying to|I have issues trying to|I'm having trouble trying to|error when I try to} {register|sign up|create an account|complete the registration|open an account}{|, what should I do|, help|, it gives an error}`,
  `${HELLO}${WANT} {reset|recover|change|retrieve|restore} {my password|the password|my login|my PIN|my username|my account password}`,
  `{I forgot|I lost|I don't remember|I can't remember} {my password|my username|my login details|the password for my account}{|, what do I do|, how can I reset it|, help}`,
  `{how do I|how can I|where do I} {set up|turn on|enable|configure|turn off} {two-factor authentication|2FA|SSO|SAML single sign-on|a passkey}{|?}`,
  // newsletter
  `${HELLO}${WANT} {subscribe to|sign up for|join|unsubscribe from|cancel|stop receiving|opt out of|get} {the newsletter|your newsletter|your marketing emails|the mailing list|product updates by email}`,
  // products, plans and prices
  `${HELLO}{what's the difference between|compare|how does} <plan> {and|vs|versus|compare to} <plan>{|?}`,
  `{how much is|how much does|what does|what's the price of|what is the cost of|pricing for} {the <plan> plan|<plan>|a seat on <plan>|each extra seat|a <product>|the DP-600|the H-200 headset} {cost|per month|per seat|}{|?}`,
  `{does|do} {the <plan> plan|<plan>|your plans|the <product>|your headsets} {include|come with|support|work with|have} {SSO|call recording|a free trial|Salesforce|Zendesk|Slack|a warranty|bluetooth|an API|phone support|Zoom|a dedicated account manager}{|?}`,
  `{is there|do you have|do you offer} {a free trial|a discount for nonprofits|an annual discount|a student discount|volume pricing|a warranty|a money-back guarantee|an API|a mobile app}{|?}`,
  `{how do I|how can I|what are the steps to} {place an order|buy a <product>|order a <product>|buy more seats|pay my invoice online|export my data|connect Salesforce|set up call forwarding|invite a teammate|get an API key|change my plan}{|?}`,
  `{what are your|when are your|when is your} {support hours|customer service hours|opening hours|business hours|hours}{|?}`,
  `{how can I|how do I|what's the best way to} {contact|reach|get in touch with|email|call} {customer service|support|your support team|sales|the billing team}{|?}`,
  `{is|are} {your service|Switchboard|my data|the platform} {GDPR compliant|SOC 2 certified|encrypted|HIPAA compliant|available in <country>}{|?}`,
  `{what's|what is} {your uptime|your SLA|the warranty on <product>|the warranty period|the return window|your trial length}{|?}`,
  // hardware troubleshooting: a symptom and "what should I check" is a help-center question (not an outage, not one's own records)
  `${HELLO}{my|the|our} {<product>|webcam|camera|microphone|mic|speaker|dongle|base station|handset} {has no sound|has no audio|makes a buzzing noise|keeps disconnecting|won't pair|isn't detected|doesn't show up|sounds muffled|keeps rebooting|shows no service|won't charge|keeps losing its connection|goes silent after a while|has a blinking red light|is stuck on the logo}{|, what should I check|, what can I try|, how do I fix it|, any troubleshooting tips|, why|, what's wrong|, is there a fix}{|?}`,
  `{the other side can't hear me|callers say I sound robotic|people say my voice cuts out|I hear myself echo|the audio is choppy|the video is black|the picture freezes|the status light stays off|the screen stays dark|the phone loses registration}{| on calls| in meetings| with my <product>| with the webcam| on the desk phone}{|, what should I check|, how do I fix this|, what could cause it|, any ideas}{|?}`,
  `{why does|why would|what makes} {my|the} {<product>|webcam|desk phone|handset} {drop calls|lose its registration|disconnect every few minutes|restart by itself|stop working after an update|not show up in Switchboard}{|?}`,
  // damage, defects and warranty claims: how to report and by when (policy)
  `{how do I|how can I|where do I|what's the way to} {report|claim for|tell you about|file a claim for} {a damaged delivery|shipping damage|damage in transit|a defective <product>|a missing part|a broken item|a faulty unit|a <product> that arrived broken}{|?}`,
  `{how long do I have to|what is the deadline to|by when must I|how many days do I have to|is there a time limit to} {report|claim|tell you about|let you know about} {damage|a damaged parcel|a defect|shipping damage|a missing item|a wrong item}{|?}`,
  `{my|the} <product> {arrived scratched|came with a dent|showed up broken|was damaged in the box|is missing a cable|arrived with a crack}{, how do I report it|, what's the process|, what do I do now|, how does the claim work|, who do I tell}{|?}`,
  // failed payments and retries (how it works, not one's own invoice)
  `{what do you do|what happens|do you try again|is the workspace suspended|will my service stop} {when|if} {a card payment fails|a renewal charge fails|the card gets declined|the card on file expires|a payment bounces|the automatic payment doesn't go through}{|?}`,
  `{how many times|how often|when} do you {retry|try again|re-attempt} a {failed payment|declined card|failed renewal charge}{|?}`,
];

const ESCALATION_TEMPLATES: readonly string[] = [
  `${HELLO}{I want to|I'd like to|I need to|can I|could I|let me|I wish to|I would like to|how can I|I must|please let me|I have to} {talk to|speak to|speak with|talk with|chat with|get in touch with|be connected to|contact|reach} {a human|a person|a real person|an agent|a human agent|a live agent|someone|somebody|a representative|a rep|customer service|customer support|a manager|a supervisor|an operator|someone from support|a real human|an actual person|your team|a member of staff|the support team}{| please|, now| right now| asap|}`,
  `{get me|connect me to|connect me with|transfer me to|put me through to|give me|I need|I want|escalate this to} {a human|a person|an agent|a live agent|someone|a representative|a manager|a supervisor|a real person|customer service|a human being|somebody who can help}{| please| now|}`,
  `{human|agent|person|operator|representative|live agent|real person|manager|supervisor}{ please| now|, right now| asap}`,
  `{this bot is useless|you're not helping|this isn't helping|you don't understand me|stop giving me automated answers|I'm tired of talking to a bot|the bot can't help me|enough with the bot}{|, I want a person|, get me a human|, connect me to an agent|}`,
  `${HELLO}{I want to|I'd like to|I need to|how can I|where can I|I wish to|let me} {file|make|lodge|submit|raise|open|leave} {a complaint|a formal complaint|a claim|a grievance}{| about your service| about an agent| about my order|}`,
  `{I'm|I am} {really|very|extremely|so|} {unhappy|upset|angry|disappointed|frustrated|dissatisfied|fed up} {with your service|with the support I got|with how this was handled|with you|}{|, I want to complain|, nobody helps}`,
  `{I was charged twice|you charged me twice|I was billed twice|there's a double charge|there's a charge I don't recognise|I see a payment I didn't make|there's a charge I never authorized|I didn't authorize this charge|someone used my card}{| for ${MY_ORDER}| on ${MY_INVOICE}| this month|}{|, fix it|, I want it reversed|}`,
  `{I'm disputing|I want to dispute|I will dispute|I'm going to file a chargeback for} {this charge|the charge of <amount>|${MY_INVOICE}|a payment}{| with my bank|}`,
  `{my account was hacked|someone hacked my account|my account has been compromised|someone logged into my account|there are logins I don't recognise|someone changed my password|I think someone stole my account}{|, help|, lock it|, urgent|}`,
  `{I will|I'll|we will|we are going to} {sue you|take legal action|contact my lawyer|report you|go to court|file a lawsuit}{| if this isn't fixed| over this|}`,
  `{everything is down|your service is down|nothing works|all our calls are failing|the API is returning errors for everyone|we have an outage}{|, urgent|, help now|, we are losing money|}`,
  `{I'm locked out of my account|my account is locked|I keep getting locked out after entering my password|my account got suspended|the password reset email never arrives and I'm locked out|my account is blocked}{|, please unlock it|, I need access now|, urgent|, help}`,
  `{none of our phones can dial out|nobody in the office can make calls|the whole system is down for us|inbound calls fail for every number we have|every call drops after a few seconds}{|, fix this now|, this is urgent|, we need help asap|}`,
  `{I need someone to|can a person|I need a manager to|get somebody to} {approve|authorize|sign off on|make an exception for} {a refund outside the policy|a custom contract|an extension of the return window|a discount|a late return}`,
  `{delete all my personal data|erase my personal data|I want my data deleted under GDPR|send me all the data you hold about me|I'm making a GDPR request|right to be forgotten request}`,
];

const SMALLTALK_TEMPLATES: readonly string[] = [
  `{thanks|thank you|thx|cheers|thanks a lot|thank you so much|appreciate it|great, thanks|perfect, thank you|ok thanks|that helped, thanks}{ for the help| for your help| for that|, that's all I needed}{|!|.}`,
  `{hi|hello|hey|hiya|good morning|good afternoon|good evening|hey there|hello there}{ team| everyone| all|, anyone there?}`,
  `{bye|goodbye|see you|that's all|that's all for now|nothing else|talk later|have a nice day}{, thanks|, bye| for today|, have a good one}`,
  `{who are you exactly|are you a bot or a person|are you human|what's your name|who made you|how old are you|when is your birthday|where are you from|do you have feelings|are you an AI}{ by the way|?| btw}`,
  `{how are you|how's it going|how are you doing|what's up|how is your day}{|?}`,
  `{ok|okay|cool|great|nice|awesome|got it|sounds good|alright|perfect|I see|understood}{, thanks|, good to know| then|, makes sense}`,
];

export interface TemplateGroup {
  route: Route;
  templates: readonly string[];
  /** Utterances drawn per template at most. */
  perTemplate: number;
}

export const TEMPLATE_GROUPS: readonly TemplateGroup[] = [
  { route: 'account', templates: ACCOUNT_TEMPLATES, perTemplate: 40 },
  { route: 'faq', templates: FAQ_TEMPLATES, perTemplate: 35 },
  { route: 'escalation', templates: ESCALATION_TEMPLATES, perTemplate: 40 },
  { route: 'smalltalk', templates: SMALLTALK_TEMPLATES, perTemplate: 20 },
];

/**
 * What customers write around a request in a long message: who they are, what they are doing, what
 * happened before. Joined in front of templated requests, so that a long message is not taken for
 * out of scope only because training messages are short.
 */
const CONTEXT: readonly string[] = [
  "We've had Switchboard in our shop for a while now and mostly it works fine.",
  'I look after the phones and billing for a family-run hardware store.',
  'Our accountant is doing the year-end books and keeps asking me questions.',
  'We opened a second location last month and are still setting things up.',
  "I've been a customer since 2023 and never had a problem until now.",
  'I do the admin for a physiotherapy clinic with six people.',
  "Sorry if this is the wrong place to ask, I couldn't find it on the website.",
  "I already searched your help pages and didn't find a clear answer.",
  'My boss wants this sorted before the end of the week.',
  'Things are hectic here after a reorganisation, so bear with me.',
  "I'm putting together a budget for next year and need the details right.",
  'Quick question before I place a bigger order for the whole team.',
  'We are a charity with volunteers spread over two cities.',
  "I'm writing for my company; I'm the account admin.",
];
const CLOSING: readonly string[] = ['', ' Thanks in advance!', ' Any help is appreciated.', ' Thank you.', ' Let me know what you need from me.', ' Cheers.'];

/** Long messages: one or two context sentences, the request, sometimes a closing (a seeded share of each route's utterances). */
function lengthen(items: { text: string; route: Route }[], every: number): { text: string; route: Route }[] {
  const out: { text: string; route: Route }[] = [];
  items.forEach((item, i) => {
    if (i % every !== 0) return;
    const a = CONTEXT[i % CONTEXT.length]!;
    const b = CONTEXT[(i * 7 + 3) % CONTEXT.length]!;
    const request = item.text.charAt(0).toUpperCase() + item.text.slice(1);
    const ending = /[.?!]$/.test(request) ? '' : item.route === 'faq' ? '?' : '.';
    out.push({ text: `${a}${i % 3 === 0 ? ` ${b}` : ''} ${request}${ending}${CLOSING[i % CLOSING.length]}`, route: item.route });
  });
  return out;
}

/** Every templated utterance with its route (deterministic), a share of them also in a long form. */
export function templatedUtterances(): { text: string; route: Route }[] {
  const short = TEMPLATE_GROUPS.filter((g) => g.route !== 'smalltalk').flatMap((g) => expand(g.templates, SLOTS, g.perTemplate).map((text) => ({ text, route: g.route })));
  const social = TEMPLATE_GROUPS.filter((g) => g.route === 'smalltalk').flatMap((g) => expand(g.templates, SLOTS, g.perTemplate).map((text) => ({ text, route: g.route })));
  return [...short, ...social, ...lengthen(short, 5)];
}
