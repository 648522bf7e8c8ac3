/**
 * The demo company's help center: "Switchboard Demo Co", a SaaS company selling subscription plans
 * (Starter, Pro, Business, Enterprise) that also ships hardware (headsets, desk phones, webcams).
 *
 * Facts are kept consistent across articles (and with the demo customer data in demo-data.ts):
 * - Plans, per seat per month: Starter $19 (1-5 seats), Pro $49 (up to 50), Business $99 (up to 500),
 *   Enterprise custom. Each workspace has its own subscription. Annual billing: 2 months free.
 * - Invoices INV-YYYY-NNNNN, issued on the renewal date, due 30 days later. Failed card charges are
 *   retried 3, 5 and 7 days after the first attempt; unpaid 30 days after the due date = canceled.
 * - Trial 14 days (Pro features, up to 5 seats, no card). After cancellation: 30 days read-only,
 *   then deletion within 30 more days; backups expire 35 days after deletion.
 * - Hardware ships from Columbus, Ohio. Orders before 2 p.m. ET ship the same business day.
 *   Standard 3-5 business days ($7.95, free from $150), express 1-2 ($19.95), Alaska/Hawaii/PR 5-8,
 *   international standard 7-14 ($24.95, free from $500), international express 3-5 ($49.95).
 * - Returns within 30 days of delivery; RMA label within 1 business day; inspection within 3 business
 *   days of arrival; refunds appear in 5-10 business days. Damage reported within 7 days. 2-year warranty.
 * - API rate limits per workspace: Starter 60/min, Pro 300/min, Business 1,000/min, Enterprise 3,000/min.
 * - SSO/SAML on Business and Enterprise; SCIM on Enterprise; Salesforce on Business+, Zendesk on Pro+,
 *   Slack on every plan; webhooks on Pro+.
 */

export type KnowledgeCategory = 'shipping' | 'returns' | 'billing' | 'plans' | 'security' | 'api' | 'troubleshooting' | 'account' | 'integrations';

export interface KnowledgeArticle {
  slug: string;
  title: string;
  category: KnowledgeCategory;
  content: string;
}

export const KNOWLEDGE_CATEGORIES: ReadonlyArray<KnowledgeCategory> = ['shipping', 'returns', 'billing', 'plans', 'security', 'api', 'troubleshooting', 'account', 'integrations'];

export const KNOWLEDGE_ARTICLES: ReadonlyArray<KnowledgeArticle> = [
  // ------------------------------------------------------------------ shipping
  {
    slug: 'shipping-times',
    title: 'Shipping times by region and method',
    category: 'shipping',
    content: `All Switchboard hardware (headsets, desk phones, webcams and accessories) ships from our warehouse in Columbus, Ohio, USA. Delivery time is processing time plus transit time.

## Processing time

Orders placed before 2 p.m. Eastern Time on a business day (Monday to Friday, excluding US federal holidays) leave the warehouse the same day. Orders placed after 2 p.m. ET, or on a weekend or holiday, ship the next business day. Orders that need a manual payment review can take 1 extra business day.

## Delivery times

| Destination | Standard | Express |
|---|---|---|
| Contiguous United States | 3–5 business days | 1–2 business days |
| Alaska, Hawaii, Puerto Rico | 5–8 business days | 2–3 business days |
| Canada and Mexico | 7–14 business days | 3–5 business days |
| Rest of the world | 7–14 business days | 3–5 business days |

Transit times are counted in business days from the day the order ships, not from the day you place it. For example, a standard order placed on Friday at 4 p.m. ET ships on Monday and usually arrives between Thursday and the following Monday.

## Carriers

- Domestic standard: UPS Ground, or USPS Ground Advantage for PO boxes and APO/FPO addresses.
- Domestic express: UPS 2nd Day Air or FedEx 2Day; orders placed before 11 a.m. ET can be upgraded to next-day delivery at checkout where available.
- International standard and express: DHL Express or UPS Worldwide.

We can't choose a specific carrier on request. Express shipping to PO boxes isn't available.

## Delays

International orders can spend an extra 2–5 business days in customs, which is not included in the times above. Severe weather and peak season (mid-November to December) can add 1–3 business days. If your order hasn't moved for 5 business days (domestic) or 10 business days (international), contact support and we'll open a carrier investigation.

For prices, see "Shipping costs and free shipping". To follow a parcel, see "Tracking your hardware order".`,
  },
  {
    slug: 'shipping-costs',
    title: 'Shipping costs and free shipping',
    category: 'shipping',
    content: `Shipping is charged per order, not per item, and is shown at checkout before you pay. All prices are in US dollars and exclude sales tax, VAT and import duties.

## Shipping rates

| Destination | Standard | Express |
|---|---|---|
| Contiguous United States | $7.95, free on orders of $150 or more | $19.95 |
| Alaska, Hawaii, Puerto Rico | $14.95 | $34.95 |
| International (including Canada and Mexico) | $24.95, free on orders of $500 or more | $49.95 |

The free-shipping thresholds use the order subtotal after discounts and before tax. Express shipping is never free, but orders that qualify for free standard shipping get $7.95 off the express rate.

## Free shipping for Business and Enterprise customers

Workspaces on the Business or Enterprise plan get free standard shipping on every hardware order, whatever the amount, when the order is placed while signed in to the workspace. Enterprise customers with a hardware agreement can also have orders billed to their monthly invoice instead of a card.

## Oversized and bulk orders

Orders of more than 25 desk phones, or more than 50 items in total, ship as freight. We'll email you a freight quote within 1 business day before the order is charged. Bulk orders can be split across several addresses for $4.95 per additional address.

## Refunds of shipping charges

Shipping charges are refunded only when we made a mistake (wrong item, damaged in transit, or a late express delivery caused by us). If your express order arrives later than the promised 1–2 business days and the delay was not caused by weather or customs, ask support for a refund of the express fee within 14 days of delivery.

Return shipping for change-of-mind returns costs $9.95 and is deducted from your refund; see "Return policy and how to start a return".

## Duties and taxes

Sales tax is added at checkout for US addresses where hardware is taxable. For international orders, import VAT and duties depend on the destination; see "International shipping, customs and import duties".`,
  },
  {
    slug: 'tracking-your-order',
    title: 'Tracking your hardware order',
    category: 'shipping',
    content: `Every hardware order gets an order number in the format ORD- followed by 6 digits (for example ORD-987654). You'll find it in your order confirmation email and under **Account → Orders**.

## Order statuses

- **Pending**: we've received the order and are confirming payment. You can still edit or cancel it.
- **Processing**: the order is being picked and packed. You can still cancel it, but you can't change the address.
- **Shipped**: the parcel has left our warehouse. You'll see the carrier and tracking number.
- **Delivered**: the carrier has confirmed delivery.
- **Canceled**: the order was canceled before shipping and the charge was released or refunded.
- **Returned**: the items came back to us and the refund has been issued.

## Finding your tracking number

When your order ships we send an email with the carrier (UPS, FedEx, USPS or DHL) and the tracking number, usually within 1 business day of the order. The same details appear on the order in **Account → Orders**, and you can ask our support assistant "where is my order?" while signed in.

Tracking numbers look like this:

- UPS: starts with 1Z followed by 16 letters and digits
- FedEx: 12 digits
- USPS: 22 digits, usually starting with 94
- DHL Express: 10 digits

## Tracking shows no information

Carriers can take up to 24 hours after pick-up to show the first scan. If there is still no information after 2 business days, contact support with your order number.

## My parcel is late or lost

If tracking hasn't changed for 5 business days (domestic) or 10 business days (international), we open an investigation with the carrier. Investigations take up to 8 business days; if the parcel is declared lost we ship a replacement by express at no cost, or refund the order if you prefer.

## Tracking says delivered but I don't have it

Check with neighbours, your building's mail room and the delivery photo in the carrier's tracking page. Wait 48 hours, as carriers sometimes scan parcels as delivered early. If it still hasn't turned up, contact us within 14 days of the delivery date.`,
  },
  {
    slug: 'international-shipping-and-customs',
    title: 'International shipping, customs and import duties',
    category: 'shipping',
    content: `We ship hardware to more than 60 countries from Columbus, Ohio. International standard delivery takes 7–14 business days and express 3–5 business days, plus any time spent in customs (usually 2–5 business days).

## Who pays duties and taxes

- **European Union and United Kingdom**: orders are shipped Delivered Duty Paid (DDP). Import VAT and duties are calculated and collected at checkout, so there is nothing to pay on delivery. EU and UK customers with a valid VAT ID can enter it at checkout to have VAT reverse-charged.
- **All other countries, including Canada, Mexico and Australia**: orders are shipped Delivered Duty Unpaid (DDU). The carrier collects import duties, taxes and its own brokerage fee from you before or at delivery. We can't estimate these amounts for you; check with your local customs office.

## Customs paperwork

Every international parcel includes a commercial invoice with the value you paid, the country of origin and the tariff (HS) codes of the items. We can't mark parcels as gifts or declare a lower value. Business customers who need the invoice in advance for import permits can request it from support once the order is placed.

## Restrictions

- We don't ship to PO boxes outside the United States.
- We can't ship to countries under US trade sanctions or embargo.
- Desk phones are certified for North America, the EU, the UK, Australia and New Zealand; we can't ship them to other countries.
- Orders over $2,500 shipped outside the EU and UK may need a signed end-user statement, which we'll email you within 1 business day.

## Customs holds

If customs needs more information, the carrier will contact you directly, usually by email or text. Respond quickly: parcels that are not cleared within 20 days are returned to us.

## Refused parcels

If you refuse a DDU parcel or don't pay the duties, it's returned to us. Once it arrives we refund the items minus the original shipping charge and the return shipping cost charged by the carrier. Duties and taxes paid to a foreign government can't be refunded by us.`,
  },

  // ------------------------------------------------------------------ returns
  {
    slug: 'return-policy',
    title: 'Return policy and how to start a return',
    category: 'returns',
    content: `You can return any Switchboard hardware within 30 days of the delivery date for a full refund of the item price. Subscriptions are not covered by this policy; see "Subscription refunds and proration".

## Conditions

- The item is in its original packaging with all accessories, cables, ear cushions and the quick-start guide.
- The item has no physical damage, engraving, stickers or missing parts. Normal testing is fine.
- Desk phones must be removed from your workspace (**Admin → Devices → Desk phones → Remove**) and factory reset before they're packed.
- Items marked "Final sale" (clearance and refurbished items) can't be returned, but they're still covered by the warranty.

## How to start a return

1. Go to **Account → Orders** and open the order.
2. Click **Return items**, choose the items and quantities, and pick a reason.
3. Within 1 business day you'll receive an email with your return authorization number (RMA-, followed by 8 digits) and a prepaid UPS label for US addresses.
4. Pack the items securely, attach the label, and drop the parcel at any UPS location within 14 days. After 14 days the RMA expires and you'll need to request a new one.

You can also ask support to start the return for you; have your order number (ORD- followed by 6 digits) ready. International customers ship returns at their own cost, using a tracked service, to the address in the RMA email.

## Return shipping cost

Returns of defective, damaged or wrong items are free. For change-of-mind returns from US addresses, the $9.95 label cost is deducted from your refund. Original shipping charges are not refunded unless we made an error.

## Refund timing

We inspect returned items within 3 business days of their arrival at our warehouse. Once the return is approved, we refund the original payment method and the order status changes to **Returned**. Refunds usually appear on your statement within 5–10 business days, depending on your bank. We'll email you when the refund is issued.

If the return doesn't meet the conditions above, we'll contact you and either send the item back at no cost or offer a partial refund.`,
  },
  {
    slug: 'exchanging-an-item',
    title: 'Exchanging a hardware item',
    category: 'returns',
    content: `If you'd prefer a different model or colour rather than a refund, you can exchange an item within 30 days of delivery. The item must meet the same conditions as a return: original packaging, all accessories, and no physical damage.

## What you can exchange

- A headset for another headset model, for example the HS-100 Wired Headset for the HS-200 Wireless Headset.
- A webcam for another webcam, for example the WC-1080 HD Webcam for the WC-4K Webcam.
- A desk phone for another desk phone model (DP-400 or DP-600).
- An item for the same item, if you'd like a new unit for a reason not covered by the warranty.

Each item can be exchanged once. Exchanges between product types (for example a webcam for a headset) are handled as a return and a new order.

## How to request an exchange

1. Go to **Account → Orders** and open the order.
2. Click **Return items**, choose the item, and select **Exchange** as the resolution.
3. Pick the replacement model and confirm.
4. You'll get an RMA number and a prepaid UPS label by email within 1 business day. Exchange shipping is free in both directions for US addresses.

## When the replacement ships

We ship the replacement by standard shipping as soon as the carrier scans your return parcel, so you don't have to wait for it to reach our warehouse. Business and Enterprise workspaces can choose an advance exchange: we ship the replacement immediately and place a temporary hold for its price on your card, released once your return arrives. If the return doesn't arrive within 21 days, the hold is charged.

## Price differences

If the new item costs more, we charge the difference to your original payment method when the exchange is confirmed. If it costs less, we refund the difference within 5–10 business days after we've inspected the returned item.

## Out of stock

If the replacement is out of stock we'll tell you the expected date. You can wait, choose another item, or switch to a refund at any time before the replacement ships.`,
  },
  {
    slug: 'damaged-or-defective-items',
    title: 'Damaged, defective or missing items and the hardware warranty',
    category: 'returns',
    content: `We're sorry if something arrived in less than perfect shape. Here's how we make it right.

## Damaged in transit

Report damage within 7 days of delivery. Contact support with your order number and photos of the damaged item, the outer box and the shipping label. We'll ship a replacement by express shipping at no cost within 1 business day of your report. In most cases you'll also get a prepaid label to send the damaged item back; for items under $50 we may ask you to recycle it instead.

## Wrong or missing items

Check the packing slip first: larger orders sometimes ship in more than one parcel, each with its own tracking number. If an item is still missing after all parcels are delivered, or you received the wrong item, tell us within 7 days of delivery. We'll send the missing or correct item by express shipping, free of charge, and a prepaid label for any wrong item.

## Defective on arrival

If a device doesn't power on or fails within the first 30 days, we replace it with a new unit or refund it in full, your choice, and return shipping is free. We may ask you to try one or two troubleshooting steps first (see the troubleshooting articles for headsets, desk phones and webcams).

## Hardware warranty

- Headsets, desk phones and webcams: 2-year limited warranty from the delivery date.
- Accessories (ear cushions, cables, power adapters): 1-year limited warranty.

The warranty covers defects in materials and workmanship under normal use. It doesn't cover accidental damage, liquid damage, battery wear below 80% capacity after the first year, or damage from unauthorized repairs.

## Making a warranty claim

1. Contact support with the order number and the serial number (on the inside of the headband, the bottom of the desk phone, or the webcam's cable tag).
2. We'll run through a short troubleshooting check with you.
3. If the device is faulty, we send a prepaid label and ship a new or certified refurbished replacement once the faulty unit is scanned by the carrier.

We pay shipping both ways for warranty claims in the US. A replacement device is covered for the rest of the original warranty period or 90 days, whichever is longer.`,
  },

  // ------------------------------------------------------------------ billing
  {
    slug: 'payment-methods',
    title: 'Accepted payment methods',
    category: 'billing',
    content: `You can pay for your subscription and hardware with the methods below. Only workspace Owners and Billing admins can change the payment method.

## Cards

We accept Visa, Mastercard, American Express, Discover and JCB credit and debit cards. Prepaid cards are accepted for hardware orders but not for subscriptions. Your card is charged automatically on each renewal date.

## PayPal

PayPal is available for Starter and Pro subscriptions and for hardware orders. Business and Enterprise subscriptions must be paid by card, direct debit or bank transfer.

## Direct debit

- ACH direct debit for US bank accounts.
- SEPA Direct Debit for bank accounts in the eurozone.

Direct debit payments take 3–5 business days to clear. Your invoice stays **Open** until the payment clears, and you keep full access in the meantime.

## Bank transfer and wire

Bank transfer is available for annual subscriptions of $1,000 or more and for all Enterprise contracts. The bank details and a unique payment reference are printed on each invoice. Include the invoice number (for example INV-2026-98765) as the reference so we can match your payment. Transfers must arrive by the invoice due date, 30 days after the issue date.

We don't accept cheques, cash or cryptocurrency.

## Currencies

Subscriptions can be billed in US dollars (USD), euros (EUR) or British pounds (GBP). The currency is set when the subscription is created; to change it, contact support before your next renewal. Hardware is always priced in US dollars.

## Changing your payment method

1. Go to **Settings → Billing → Payment method**.
2. Click **Add payment method** and enter the new details. Cards are verified with a temporary $0 or $1 authorization that disappears within a few days.
3. Click **Make default**. The new method is used for the next renewal and any open invoice you choose to pay now.

If a payment has failed, updating your card doesn't charge the failed invoice immediately; click **Pay now** on the invoice or wait for the next automatic retry (see "Failed payments and the retry schedule").`,
  },
  {
    slug: 'invoices-and-billing-email',
    title: 'Invoices, receipts and your billing email',
    category: 'billing',
    content: `Every subscription charge comes with an invoice. Hardware orders get a separate receipt by email when they're charged.

## How invoicing works

An invoice is issued on each renewal date: monthly subscriptions renew on the same day every month (the day you subscribed), annual subscriptions once a year. The amount is the plan price per seat multiplied by the number of seats; for example, Pro with 2 seats is $98.00 a month. Prices exclude tax, which is shown as a separate line.

Each invoice has a number in the format INV-YYYY-NNNNN, where YYYY is the year of issue (for example INV-2026-98765). The due date is 30 days after the issue date. Invoice statuses are:

- **Open**: issued and not yet paid.
- **Paid**: payment received; the payment date is shown.
- **Overdue**: not paid by the due date.
- **Void**: canceled and replaced, for example after a billing correction. You don't need to pay a void invoice.

## Finding and downloading invoices

Go to **Settings → Billing → Invoices** to see every invoice and download it as a PDF. Invoices are kept for 7 years, including after you cancel. You can also ask the support assistant about your latest invoice or a specific invoice number while signed in.

## Adding details to your invoices

Under **Settings → Billing → Company details** you can set the legal company name, address, VAT or tax ID, and a purchase order number. Changes apply to future invoices. We can reissue invoices from the last 12 months with corrected company details; contact support.

## Changing your billing email

Invoices, receipts and payment-failure notices go to the billing email, which can be different from your sign-in email.

1. Sign in as a workspace Owner or Billing admin.
2. Go to **Settings → Billing → Billing contacts**.
3. Enter the new billing email and click **Save**. We send a confirmation link to the new address; the change applies once it's confirmed (the link is valid for 24 hours).

You can add up to 3 extra CC recipients, such as your accounts-payable inbox. To change the email you sign in with, use **Profile → Email** instead.`,
  },
  {
    slug: 'failed-payments',
    title: 'Failed payments and the retry schedule',
    category: 'billing',
    content: `If we can't collect a subscription payment, your service isn't interrupted straight away. Here's exactly what happens and when.

## Why payments fail

The most common reasons are an expired card, insufficient funds, a bank blocking an international or recurring charge, or a card replaced after being reported lost. The failure email tells you the reason the bank gave us, when it's available.

## The retry schedule

- **Day 0** (renewal date): the first charge fails. We email the billing contacts and the subscription status changes to **Past due**. The invoice stays **Open**.
- **Day 3, day 5 and day 7**: we retry the charge automatically, and email you before each retry.
- **Day 30** (the invoice due date): if the invoice is still unpaid, it becomes **Overdue** and the workspace switches to read-only: you can sign in, view and export data, but you can't make calls, add seats or create new items.
- **Day 60** (30 days after the due date): if the invoice is still unpaid, the subscription is canceled. Your data is then kept read-only for 30 days, as with any cancellation.

Retries happen at about 10 a.m. in your workspace's time zone.

## How to fix a failed payment

1. Go to **Settings → Billing → Payment method** and add a working card or another method.
2. Open **Settings → Billing → Invoices**, find the open or overdue invoice, and click **Pay now**.

As soon as the invoice is paid, the subscription returns to **Active** and full access is restored immediately. You don't lose any data while the subscription is past due.

## Bank transfer and direct debit

Invoices paid by bank transfer or direct debit are not retried. They become overdue if the payment hasn't arrived by the due date. If you've sent a transfer that hasn't been matched, send the remittance advice and the invoice number to support.

## Disputes

Please contact us before disputing a charge with your bank. A chargeback automatically suspends the workspace until it's resolved, and chargebacks usually take 30–75 days, while most billing problems can be fixed by support within 1 business day.`,
  },
  {
    slug: 'subscription-refunds-and-proration',
    title: 'Subscription refunds and proration',
    category: 'billing',
    content: `This article explains how we charge and credit you when your subscription changes mid-cycle, and when subscription charges can be refunded. Hardware refunds are covered in "Return policy and how to start a return".

## Proration when you upgrade or add seats

Upgrades and added seats take effect immediately. We charge the prorated difference for the days left in the current billing period on a separate invoice, issued the same day.

Example: you're on Pro with 2 seats ($98.00 a month) and upgrade to Business with 2 seats ($198.00 a month) halfway through a 30-day period. You're charged (198.00 − 98.00) × 15/30 = $50.00 now, and $198.00 from the next renewal.

## Downgrades and removed seats

Downgrades and seat removals take effect at the next renewal date. You keep the current plan and seats until then, and we don't refund or credit the unused part of the current period.

## When we refund subscription charges

- **Billing errors and duplicate charges**: refunded in full, always.
- **Monthly renewals you didn't intend to make**: if you contact us within 14 days of the renewal and the workspace hasn't been used since the renewal, we refund that renewal in full and cancel the subscription.
- **Annual subscriptions**: a full refund within 30 days of the first annual payment. After 30 days, annual plans are not refundable, but you can cancel so the plan doesn't renew.
- **Partial months** on monthly plans are not refunded when you cancel: the subscription stays active until the end of the period you've paid for.

Enterprise contracts follow the refund terms in the contract.

## How refunds are paid

Refunds go back to the original payment method. They usually appear on your statement within 5–10 business days. If the original card has been closed, your bank forwards the refund to the replacement card or account. Refunds of bank transfers are paid to the bank account the payment came from.

## Account credit

Instead of a refund, you can ask for account credit. Credit is applied automatically to your next invoices and doesn't expire while the subscription is active.`,
  },
  {
    slug: 'taxes-and-vat',
    title: 'Sales tax, VAT and tax exemptions',
    category: 'billing',
    content: `All Switchboard prices, for subscriptions and hardware, exclude taxes. Taxes are calculated from your billing address (subscriptions) or shipping address (hardware) and shown as a separate line on each invoice and receipt.

## United States

We collect sales tax on subscriptions in the states where software as a service is taxable, and on hardware in every state that taxes it. The rate is the combined state and local rate for your address. If your billing address is incomplete we use the ZIP code, so keep it up to date under **Settings → Billing → Company details**.

## European Union

- **Businesses with a valid VAT ID**: no VAT is charged; the invoice states "Reverse charge" and you account for VAT in your own return. We validate VAT IDs with the EU VIES service when you save them.
- **Consumers and businesses without a VAT ID**: VAT is charged at the rate of your country (for example 19% in Germany, 20% in France, 21% in the Netherlands).

## United Kingdom

UK VAT is charged at 20%. Businesses registered for UK VAT can add their VAT number, and the invoice shows our UK VAT registration for input-tax reclaim.

## Canada and Australia

We charge GST/HST in Canada, plus QST for Quebec, and 10% GST in Australia, unless you give us a valid business registration number where reverse charge applies.

## Adding a VAT or tax ID

1. Go to **Settings → Billing → Company details**.
2. Enter your VAT or tax ID and click **Save**.
3. The ID is validated within a few seconds and applies to invoices issued from then on.

We can't remove VAT from invoices already paid, but if you add a valid VAT ID within 30 days of an invoice, support can reissue it as a reverse-charge invoice and refund the VAT.

## Tax-exempt organizations

Non-profits, schools and government bodies that are exempt from US sales tax can upload an exemption certificate under **Settings → Billing → Tax exemption**. We review it within 2 business days; the exemption applies to invoices issued after approval.`,
  },

  // ------------------------------------------------------------------ plans
  {
    slug: 'plans-and-pricing',
    title: 'Plans and pricing: Starter, Pro, Business and Enterprise',
    category: 'plans',
    content: `Switchboard has four plans. Each workspace has its own subscription, and the plan price is charged per seat (one seat for each member of the workspace). For example, a Pro workspace with 2 seats costs $98 a month.

## Prices

| Plan | Monthly, per seat | Seats |
|---|---|---|
| Starter | $19 | 1 to 5 |
| Pro | $49 | 1 to 50 |
| Business | $99 | 1 to 500 |
| Enterprise | custom pricing | 50 or more, no upper limit |

Annual billing gives you 2 months free: you pay 10 times the monthly price for 12 months. Prices exclude tax.

## What's included

**Starter** is for small teams getting started: shared inbox and call routing, call history for 90 days, 10 GB of recording storage per seat, the Slack integration, API access (60 requests per minute), and email support with a reply within 1 business day.

**Pro** adds everything a growing team needs: call recording and transcripts, call history for 1 year, 100 GB of storage per seat, the Zendesk integration, webhooks, an API rate limit of 300 requests per minute, the option to require two-factor authentication for all members, and email and chat support with a reply within 4 business hours.

**Business** adds control for larger organizations: single sign-on (SAML), the Salesforce integration, audit logs kept for 1 year, unlimited call history, EU data residency, an API rate limit of 1,000 requests per minute, free standard shipping on hardware, 24/7 chat and phone support with a 1-hour response for urgent issues, and a 99.9% uptime SLA.

**Enterprise** adds SCIM user provisioning, bring-your-own encryption keys, unlimited audit log retention, an API rate limit of 3,000 requests per minute (more on request), a dedicated customer success manager, custom contract and invoicing terms, and a 99.95% uptime SLA. Contact sales for a quote.

## Free trial

Every new workspace can try Pro free for 14 days; see "Free trial".

## Hardware

Headsets, desk phones and webcams are sold separately and work with every plan.`,
  },
  {
    slug: 'changing-plans-and-seats',
    title: 'Upgrading, downgrading and changing seats',
    category: 'plans',
    content: `Workspace Owners and Billing admins can change the plan or the number of seats at any time under **Settings → Billing → Plan**.

## Upgrading

1. Go to **Settings → Billing → Plan** and click **Change plan**.
2. Choose the new plan and review the prorated amount shown.
3. Click **Confirm upgrade**.

The new features are available immediately. We charge the prorated difference for the rest of the current billing period on a separate invoice, and the full new price from the next renewal. Your renewal date doesn't change.

## Downgrading

Downgrades take effect at the next renewal date; until then you keep the current plan. Before you downgrade, check what you'd lose:

- From Business to Pro: single sign-on is turned off (members sign in with a password and 2FA), the Salesforce integration is disconnected, and audit logs older than the plan allows are deleted.
- From Pro to Starter: call recordings older than 90 days are deleted 30 days after the downgrade, webhooks and the Zendesk integration are disabled, and you can have at most 5 seats.

You can cancel a scheduled downgrade any time before the renewal date.

## Adding seats

Go to **Settings → Members → Invite** or increase the seat count under **Settings → Billing → Plan**. A seat is added when an invitation is accepted. Added seats are charged immediately, prorated for the rest of the billing period.

## Removing seats

Remove a member under **Settings → Members**, then lower the seat count under **Settings → Billing → Plan**. The lower seat count applies from the next renewal date; removed seats are not refunded for the current period. The seat count can't be lower than the number of active members.

## Seat limits

Starter allows 1 to 5 seats, Pro up to 50 and Business up to 500. To go beyond your plan's limit, upgrade first. Enterprise has no seat limit.

## Switching between monthly and annual

Switching from monthly to annual takes effect immediately and is prorated like an upgrade. Switching from annual to monthly takes effect at the end of the annual term.`,
  },
  {
    slug: 'free-trial',
    title: 'Free trial',
    category: 'plans',
    content: `Every new workspace can try Switchboard free for 14 days. No credit card is required to start.

## What's included in the trial

The trial includes all Pro plan features (call recording, transcripts, webhooks, the Zendesk and Slack integrations, and an API rate limit of 300 requests per minute) for up to 5 seats. Business features such as single sign-on and the Salesforce integration are not part of the standard trial; if you're evaluating Business or Enterprise, our sales team can set up a guided trial of up to 30 days.

Hardware is not included in the trial, but you can buy it at any time and return it within 30 days of delivery under the normal return policy.

## Limits

- One trial per organization. A second trial from the same company email domain is not available.
- A trial workspace can make calls to the United States and Canada only.
- Trial workspaces have an API rate limit of 300 requests per minute, like Pro.

## Ending the trial

We email the workspace Owner 7 days and 1 day before the trial ends. To continue, go to **Settings → Billing → Plan**, choose a plan (Starter, Pro or Business) and add a payment method. Your first invoice is issued on the day you subscribe, and that day becomes your monthly renewal date. Everything you set up during the trial is kept.

If you choose Starter, Pro features such as call recording stop working when the trial ends, and recordings made during the trial are kept for 90 days.

## If you don't subscribe

When the trial ends without a plan, the workspace becomes read-only for 30 days: you can sign in and export your data but not make calls. After those 30 days, the workspace and its data are permanently deleted. You can subscribe at any time during the 30 days to restore full access.

## Extending a trial

Contact support before the trial ends if you need more time. We can extend a trial once, by up to 7 days.`,
  },
  {
    slug: 'cancelling-your-subscription',
    title: 'Cancelling your subscription and what happens to your data',
    category: 'plans',
    content: `You can cancel at any time. Only the workspace Owner can cancel a subscription.

## How to cancel

1. Go to **Settings → Billing → Plan**.
2. Click **Cancel subscription**.
3. Tell us why you're leaving (optional) and click **Confirm cancellation**.

You'll receive a confirmation email. If you can't sign in, or you're not the Owner, contact support: we'll verify your identity and the Owner's consent before cancelling.

## When the cancellation takes effect

The subscription stays active until the end of the current billing period, and you're not charged again. Partial months are not refunded; annual subscriptions can be refunded in full within 30 days of the first payment (see "Subscription refunds and proration"). Any open or overdue invoices must still be paid.

Until the end of the period you can undo the cancellation by clicking **Resume subscription** on the same page.

## What happens to your data

- **Days 1–30 after the subscription ends**: the workspace is read-only. Members can sign in, view call history and tickets, and export data under **Settings → Privacy → Export data**. You can resubscribe at any time to restore full access with everything intact.
- **After 30 days**: the workspace, its members, call recordings, transcripts, contacts and settings are permanently deleted within the next 30 days.
- **Backups**: copies in our encrypted backups expire within 35 days after deletion.
- **Invoices** are kept for 7 years for tax purposes, and you can still request copies from support.

## Integrations and API keys

When the subscription ends, API keys are revoked, webhooks stop, and the Slack, Zendesk and Salesforce integrations are disconnected. Disconnecting doesn't delete data already sent to those tools.

## Hardware

Hardware you bought is yours to keep. Desk phones can be reset and used with another SIP-compatible provider; headsets and webcams work as standard USB or Bluetooth devices.

## Deleting your data right away

If you want your data deleted immediately instead of after 30 days, the Owner can request deletion under **Settings → Privacy → Delete workspace**; see "GDPR, data export and deletion".`,
  },

  // ------------------------------------------------------------------ account
  {
    slug: 'cant-log-in-and-password-reset',
    title: "Can't log in? Resetting your password and fixing sign-in problems",
    category: 'account',
    content: `Most sign-in problems are solved in a few minutes with the steps below.

## Reset your password

1. Go to the sign-in page and click **Forgot password?**
2. Enter the email address you sign in with and click **Send reset link**.
3. Open the email from no-reply@switchboard.example and click the link. The link is valid for 60 minutes and can be used once.
4. Choose a new password of at least 12 characters. It can't be the same as any of your last 5 passwords.

After a reset, you're signed out of all other devices and sessions, and active API keys are not affected.

## The reset email didn't arrive

- Wait 5 minutes and check your spam or junk folder.
- Make sure you entered the email you sign in with; it may be different from your billing email.
- Ask your IT team to allow mail from switchboard.example.
- You can request a new link once a minute; only the newest link works.

## Your account is locked

After 5 failed sign-in attempts in a row, the account is locked for 15 minutes. Wait 15 minutes and try again, or reset your password, which also unlocks the account.

## Your company uses single sign-on

If your workspace is on Business or Enterprise with SSO enforced, click **Sign in with SSO** and enter your work email. Passwords can't be reset in Switchboard for SSO users; contact your IT administrator or reset the password in your identity provider (for example Okta or Microsoft Entra ID).

## Two-factor authentication problems

- Codes are rejected: make sure the clock on your phone is set automatically; authenticator codes depend on the correct time.
- Lost your phone: use one of your 10 backup codes. If you have none, a workspace Owner or Admin can reset 2FA for you under **Settings → Members**. Owners without backup codes must contact support; identity verification takes up to 2 business days.

## Your account was deactivated

If you see "This account has been deactivated", a workspace Admin removed your seat. Ask them to reinvite you.

If none of this helps, contact support with the email you sign in with and the time of your last attempt.`,
  },

  // ------------------------------------------------------------------ security
  {
    slug: 'sso-saml',
    title: 'Single sign-on (SSO) with SAML',
    category: 'security',
    content: `Single sign-on lets your team sign in to Switchboard with your company's identity provider. SSO with SAML 2.0 is available on the Business and Enterprise plans.

## Supported identity providers

Okta, Microsoft Entra ID (Azure AD), Google Workspace, OneLogin and JumpCloud are tested and documented. Any identity provider that supports SAML 2.0 with signed assertions should work.

## Setting up SSO

You need to be a workspace Owner or Admin.

1. Verify your email domain: go to **Settings → Security → Domains**, add your domain and publish the DNS TXT record shown. Verification usually takes a few minutes, up to 24 hours.
2. Go to **Settings → Security → Single sign-on** and copy the ACS URL (https://app.switchboard.example/sso/saml/acs) and the Entity ID.
3. Create a SAML application in your identity provider with those values. Send the user's email address as the NameID, and optionally the first name and last name attributes.
4. Upload the identity provider's metadata XML, or paste its SSO URL and signing certificate.
5. Click **Test SSO** and sign in with your own account.
6. When the test succeeds, click **Enable**.

## Enforcing SSO

After SSO is enabled you can turn on **Require SSO**. Members with a verified-domain email then have to sign in through the identity provider, and their Switchboard passwords stop working. Workspace Owners keep password sign-in with two-factor authentication as a fallback, so you can't lock yourself out if the identity provider is down.

## User provisioning

With just-in-time provisioning, a member is created the first time someone from your verified domain signs in through SSO, using a free seat. On Enterprise, SCIM 2.0 provisioning creates, updates and deactivates members automatically from your identity provider; deactivated members are signed out within 5 minutes.

## Sessions

SSO sessions last 12 hours by default. Admins can set a session length from 1 to 24 hours under **Settings → Security → Sessions**.

## Downgrading

If you downgrade below Business, SSO is turned off at the next renewal and members sign in with email and password. Members who never had a password receive a link to set one.`,
  },
  {
    slug: 'two-factor-authentication',
    title: 'Two-factor authentication (2FA)',
    category: 'security',
    content: `Two-factor authentication protects your account with a second step after your password. It's available to every member on every plan.

## Supported methods

- **Authenticator apps** that use time-based one-time passwords (TOTP), such as Google Authenticator, Microsoft Authenticator, 1Password or Authy. Codes have 6 digits and change every 30 seconds.
- **Security keys and passkeys** using WebAuthn, such as YubiKey, Touch ID, Windows Hello or a passkey on your phone. You can register up to 5.

We don't offer codes by SMS, because text messages can be intercepted through SIM swapping.

## Turning on 2FA

1. Go to **Profile → Security → Two-factor authentication**.
2. Click **Set up authenticator app** and scan the QR code with your app.
3. Enter the 6-digit code the app shows and click **Verify**.
4. Download or print your 10 backup codes and keep them somewhere safe. Each backup code works once.

To add a security key, click **Add security key** on the same page and follow your browser's prompts.

## Requiring 2FA for your workspace

On Pro, Business and Enterprise, workspace Owners and Admins can require 2FA for all members under **Settings → Security → Require two-factor authentication**. Members without 2FA are asked to set it up the next time they sign in and can't continue until they do. Members who sign in with SSO are exempt, because your identity provider handles the second factor.

## Lost your device

- Sign in with a backup code, then set up 2FA again on your new device and generate new backup codes.
- If you have no backup codes, ask a workspace Owner or Admin to reset your 2FA under **Settings → Members → (member) → Reset 2FA**.
- Owners who have lost both their device and their backup codes must contact support. We verify identity with the billing details and a signed request, which takes up to 2 business days.

## Trusted devices

You can tick **Trust this device for 30 days** when signing in. Changing your password or resetting 2FA removes all trusted devices.`,
  },
  {
    slug: 'data-encryption-and-soc2',
    title: 'Data encryption, SOC 2 and infrastructure security',
    category: 'security',
    content: `Here's how Switchboard protects your data and how our controls are audited.

## Encryption in transit

All connections to Switchboard use TLS 1.2 or higher, with TLS 1.3 preferred, and HTTP Strict Transport Security. Desk phones register over SIP on TLS (port 5061) and encrypt call audio with SRTP. Webhooks are only delivered to HTTPS endpoints.

## Encryption at rest

Databases, call recordings, transcripts, attachments and backups are encrypted with AES-256. Encryption keys are managed in our cloud provider's key management service and rotated every year. Call recordings are encrypted with a separate key for each workspace.

Enterprise customers can bring their own key (BYOK) from their own AWS KMS account; revoking the key makes the workspace's recordings and transcripts unreadable within 15 minutes.

## Hosting and data residency

Switchboard runs on AWS in the United States (us-east-1) and the European Union (Frankfurt, eu-central-1). Workspaces are hosted in the US by default. Business and Enterprise workspaces can choose EU data residency, which keeps customer data, recordings and backups in the EU.

## SOC 2 Type II

Switchboard has a SOC 2 Type II report covering the Security, Availability and Confidentiality criteria, audited every year by an independent firm. Paying customers can download the latest report, our penetration test summary and security questionnaire answers from the Trust Center (trust.switchboard.example) after accepting a non-disclosure agreement.

## Other controls

- An independent penetration test every year, and continuous automated vulnerability scanning.
- Employee access to customer data only with a support ticket and your permission, logged in the audit log (Business and Enterprise).
- Single sign-on and hardware security keys for all employees.
- Backups every 24 hours, kept for 35 days, with restores tested every quarter.
- A public bug bounty program; report vulnerabilities to security@switchboard.example.

## Incidents

If a security incident affects your data, we notify workspace Owners within 72 hours of confirming it. Current service status is always on status.switchboard.example.`,
  },
  {
    slug: 'gdpr-data-export-and-deletion',
    title: 'GDPR, data export and data deletion',
    category: 'security',
    content: `Switchboard supports your obligations under the GDPR, the UK GDPR and similar privacy laws such as the CCPA.

## Our role

For the data your team and your customers put into Switchboard, your company is the controller and Switchboard is the processor. Our Data Processing Agreement (DPA), including the EU Standard Contractual Clauses and the UK addendum, is part of our terms of service; Owners can download a signed copy under **Settings → Legal**. We list our sub-processors on the Trust Center and give 30 days' notice by email before adding a new one.

## Exporting your data

Workspace Owners and Admins can export everything in the workspace at any time:

1. Go to **Settings → Privacy → Export data**.
2. Choose what to include: contacts, call history, tickets, transcripts, recordings, members and audit logs.
3. Click **Start export**.

The export is prepared within 24 hours and we email a download link, valid for 7 days. Data comes as JSON and CSV files; recordings as MP3 files. Exports are available during the 30 days a workspace is read-only after cancellation too.

Individual members can download their own profile data under **Profile → Privacy → Download my data**.

## Access and deletion requests from your customers

When one of your customers asks to see or delete their data, search for them in **Contacts**, then use **Export contact** or **Delete contact**. Deleting a contact removes their call history, recordings, transcripts and tickets. If you need help, our support team responds to data subject requests within 30 days, the GDPR deadline.

## Deleting your workspace

The workspace Owner can permanently delete the workspace under **Settings → Privacy → Delete workspace**. We ask for confirmation by email. Deletion starts immediately and completes within 30 days; encrypted backups expire within 35 days after that. Invoices are kept for 7 years because tax law requires it. Deleting a workspace doesn't cancel a subscription on another workspace.

## Deleting a member

When a member is removed, their personal data (name, email, profile) is deleted within 30 days. Calls and tickets they handled stay in the workspace, attributed to "Former member".`,
  },

  // ------------------------------------------------------------------ api
  {
    slug: 'api-keys',
    title: 'Creating and managing API keys',
    category: 'api',
    content: `The Switchboard REST API lets you read and manage your workspace's contacts, calls, tickets and more. The API is available on every plan, with rate limits that depend on the plan.

## Creating a key

Only workspace Owners and Admins can create keys.

1. Go to **Settings → Developers → API keys**.
2. Click **Create key**, give it a descriptive name (for example "CRM sync"), and choose its scopes: **read**, **write**, or both.
3. Choose the environment: live keys start with \`sb_live_\`, test keys with \`sb_test_\`. Test keys work against a sandbox copy of your workspace and never touch real data or place calls.
4. Copy the key. It's shown only once; we store only a hash of it.

Each workspace can have up to 20 active keys.

## Using a key

Send the key in the Authorization header of every request to https://api.switchboard.example/v1:

\`Authorization: Bearer sb_live_...\`

Requests without a valid key get a 401 response with the error code \`unauthorized\`. A key without the needed scope gets a 403 with \`forbidden\`.

## Rotating keys

Rotate keys at least once a year, and whenever someone with access leaves:

1. Create a new key with the same scopes.
2. Deploy it to your application.
3. Check the **Last used** column until the old key shows no more traffic.
4. Click **Revoke** on the old key. Revoking takes effect within 60 seconds and can't be undone.

## If a key leaks

Revoke it immediately. We also scan public GitHub repositories for Switchboard keys: if we find a live key, we revoke it automatically and email the workspace Owners.

## Keys and members

Keys belong to the workspace, not to the member who created them, so they keep working when that member leaves. All API calls made with a key appear in the audit log (Business and Enterprise) with the key's name.

See "API rate limits" for limits per plan and "API pagination and errors" for the response formats.`,
  },
  {
    slug: 'api-rate-limits',
    title: 'API rate limits',
    category: 'api',
    content: `Rate limits protect the API for everyone. Limits apply per workspace, so all API keys of a workspace share the same allowance.

## Limits per plan

| Plan | Requests per minute |
|---|---|
| Starter | 60 |
| Pro | 300 |
| Business | 1,000 |
| Enterprise | 3,000 (higher limits on request) |

Test keys (\`sb_test_\`) are limited to 60 requests per minute on every plan. Trial workspaces have the Pro limit of 300 requests per minute. Webhook deliveries don't count towards your limit.

## Rate limit headers

Every API response includes:

- \`X-RateLimit-Limit\`: your limit per minute.
- \`X-RateLimit-Remaining\`: requests left in the current window.
- \`X-RateLimit-Reset\`: seconds until the window resets.

## When you exceed the limit

The API responds with HTTP status 429 and the error code \`rate_limited\`. The \`Retry-After\` header tells you how many seconds to wait before trying again. Requests rejected with 429 are not processed, so they're safe to retry.

## Handling 429 responses

- Wait for the number of seconds in \`Retry-After\`, then retry.
- For other temporary errors (500, 502, 503), retry with exponential backoff: wait 1 second, then 2, 4, 8 and 16 seconds, adding a little random jitter, and give up after 5 retries.
- Use an \`Idempotency-Key\` header on POST requests, so a retried request never creates a duplicate.

## Staying within the limit

- Use the maximum page size of 100 when listing records, instead of many small pages.
- Subscribe to webhooks (Pro and above) instead of polling for changes.
- Cache data that rarely changes, such as members and settings.
- Spread scheduled jobs over the hour rather than running them all on the minute.

## Raising your limit

Upgrading your plan raises the limit immediately. Enterprise customers who need more than 3,000 requests per minute can ask their customer success manager; we review requests within 2 business days.`,
  },
  {
    slug: 'webhooks',
    title: 'Webhooks',
    category: 'api',
    content: `Webhooks send an HTTPS POST request to your server when something happens in your workspace, so you don't have to poll the API. Webhooks are available on the Pro, Business and Enterprise plans.

## Adding an endpoint

1. Go to **Settings → Developers → Webhooks** and click **Add endpoint**.
2. Enter your HTTPS URL. Plain HTTP URLs are not accepted.
3. Choose the events to receive.
4. Copy the signing secret, which starts with \`whsec_\`.

Pro workspaces can have up to 5 endpoints, Business up to 25, and Enterprise up to 100.

## Events

- \`ticket.created\`, \`ticket.updated\`
- \`conversation.handoff\` (a conversation was passed to a human)
- \`call.completed\`, \`voicemail.created\`
- \`invoice.paid\`, \`invoice.payment_failed\`
- \`order.shipped\`, \`order.delivered\`
- \`subscription.updated\`

Each payload is JSON with an \`id\` (unique per event), a \`type\`, a \`created_at\` timestamp and a \`data\` object.

## Verifying signatures

Every request has a \`Switchboard-Signature\` header of the form \`t=1767225600,v1=<signature>\`. To verify it, compute an HMAC-SHA256 of the timestamp, a full stop and the raw request body, using your signing secret, and compare it with the v1 value in constant time. Reject requests whose timestamp is more than 5 minutes old to prevent replay attacks.

## Responding and retries

Respond with any 2xx status within 10 seconds; do slow work after responding. If we get a different status, a timeout or a connection error, we retry up to 8 times over about 24 hours with exponential backoff (after 1 minute, 5 minutes, 30 minutes, 2 hours, 5 hours, and then every 5 hours). After the last attempt the delivery is marked as failed; you can resend it from the endpoint's **Deliveries** tab for 30 days.

If an endpoint fails every delivery for 3 days in a row, we disable it and email the workspace Admins.

## Duplicates and ordering

Deliveries are at least once, so the same event can arrive twice: use the event \`id\` to ignore duplicates. Events can arrive out of order; use \`created_at\` or fetch the latest state from the API.

## Testing

Click **Send test event** on an endpoint to deliver a sample event. Test API keys trigger webhooks only on endpoints marked as test endpoints.`,
  },
  {
    slug: 'api-pagination-and-errors',
    title: 'API pagination and error responses',
    category: 'api',
    content: `All Switchboard API responses are JSON with snake_case field names, ISO 8601 timestamps and UUID identifiers.

## Cursor pagination

Every list endpoint, such as \`GET /v1/tickets\` or \`GET /v1/contacts\`, is paginated with a cursor:

- \`limit\`: how many items to return, from 1 to 100. The default is 25.
- \`cursor\`: the value of \`next_cursor\` from the previous page. Leave it out for the first page.

A page looks like \`{ "items": [...], "next_cursor": "eyJ0IjoiMjAyNi0xMS0wMSJ9" }\`. When \`next_cursor\` is null, there are no more pages. Items are sorted newest first unless the endpoint documents another order.

Cursors are opaque: don't build or change them. A cursor stays valid for 24 hours. Records created while you page through a list don't shift the pages, so you never see the same item twice or skip one.

## Error format

Every error uses the same envelope:

\`{ "error": { "code": "validation_error", "message": "limit must be at most 100", "details": [...] }, "correlation_id": "3f2b..." }\`

The \`code\` is stable and safe to use in your code; the \`message\` is for humans and may change. \`details\` is present for some errors, for example the invalid fields of a validation error.

## Status codes

| Status | Code | Meaning |
|---|---|---|
| 400 | validation_error | The request body or parameters are invalid. |
| 401 | unauthorized | The API key is missing, invalid or revoked. |
| 403 | forbidden | The key lacks the needed scope, or the plan doesn't include the feature. |
| 404 | not_found | The record doesn't exist or isn't in your workspace. |
| 409 | idempotency_conflict | The Idempotency-Key was reused with a different request body. |
| 413 | payload_too_large | The request body is over 1 MB. |
| 429 | rate_limited | Too many requests; see the Retry-After header. |
| 500 | internal_error | Something went wrong on our side. Safe to retry. |
| 503 | service_unavailable | A dependency is temporarily down. Retry with backoff. |

## Idempotency

Send an \`Idempotency-Key\` header (any unique string up to 255 characters) with POST requests. If you retry with the same key within 24 hours, you get the original response instead of a duplicate.

## Getting help

When you contact support about an API error, include the \`correlation_id\`; it lets us find the exact request in our logs.`,
  },

  // ------------------------------------------------------------------ troubleshooting
  {
    slug: 'headset-audio-issues',
    title: 'Headset audio problems: no sound, no microphone, echo or crackling',
    category: 'troubleshooting',
    content: `These steps apply to the HS-100 Wired Headset (USB), the HS-200 Wireless Headset and the HS-300 Pro ANC Wireless Headset. Try them in order and test after each step.

## Quick checks

1. Check the mute button on the headset: a red light on the microphone boom (HS-100) or earcup (HS-200, HS-300) means the microphone is muted.
2. Turn up the volume on the headset itself, not just on the computer.
3. For wireless headsets, charge for at least 30 minutes. A full charge gives about 20 hours of talk time on the HS-200 and 25 hours on the HS-300.

## Choose the headset in Switchboard and your computer

1. In the Switchboard app, go to **Settings → Audio** and select the headset as both the **Microphone** and the **Speaker**.
2. In your operating system's sound settings, make sure the headset is selected for input and output (on Windows: **Settings → System → Sound**; on macOS: **System Settings → Sound**).
3. Click **Run test call** under **Settings → Audio**. You'll hear a recording of your voice played back after 5 seconds.

## No sound at all

- Plug the USB cable or wireless dongle directly into the computer, not into a hub or monitor, and try another USB port.
- Wireless: stay within 10 metres (30 feet) of the dongle, with no walls in between.
- Re-pair a wireless headset: hold the power button for 6 seconds until the light flashes blue and red, then press the button on the dongle.

## Echo, crackling or choppy audio

- Crackling that also happens in other apps usually means a faulty USB port or cable; try another port.
- Choppy audio only in calls is usually the network; close large downloads and video streams, or run the network test in "App is slow or won't load".
- Echo that others hear: lower the headset volume and move the microphone boom 2 cm (1 inch) from the corner of your mouth.

## Update the firmware

Install the free Switchboard Hardware Manager (Windows 10 or later, macOS 12 or later) from **Settings → Devices → Download Hardware Manager**, connect the headset, and click **Update**. Many audio issues are fixed in firmware 3.2 and later.

## Still not working?

Contact support with the headset model, its serial number (on the inside of the headband) and your order number. Headsets have a 2-year warranty; see "Damaged, defective or missing items and the hardware warranty".`,
  },
  {
    slug: 'desk-phone-not-registering',
    title: 'Desk phone won\'t register or shows "No service"',
    category: 'troubleshooting',
    content: `If your DP-400 or DP-600 desk phone shows "Registration failed", "No service" or a red line key, work through these steps.

## 1. Check power and the network cable

- The phone needs Power over Ethernet (PoE, IEEE 802.3af) from your switch, or the PS-5 power adapter.
- Connect the network cable to the port marked **LAN** (or **Internet**) on the back, not the **PC** port.
- Check that the network port on your switch works by plugging a laptop into it.

## 2. Check the phone has a network address

Press **Menu → Status → Network**. You should see an IP address. If it shows 0.0.0.0 or starts with 169.254, the phone isn't getting an address from DHCP; check the cable and your router, or ask your network administrator.

## 3. Check the phone is assigned in Switchboard

A workspace Admin must add the phone under **Admin → Devices → Desk phones → Add phone**, with its MAC address (on the label under the phone, 12 characters) and the member who will use it. A phone that isn't assigned downloads no settings and can't register.

## 4. Restart to download the settings again

Press **Menu → Settings → Reboot**, or unplug the power for 10 seconds. On start-up the phone downloads its settings from https://provision.switchboard.example, which takes 1–2 minutes. If the phone was recently reassigned, this step is required.

## 5. Check your firewall

Your network must allow these outbound connections:

- SIP over TLS: TCP port 5061 to sip.switchboard.example
- Call audio (SRTP): UDP ports 10000–20000
- Provisioning: TCP port 443
- Time: UDP port 123 (NTP); a phone with the wrong time can't set up TLS

Turn off "SIP ALG" on your router; it rewrites call setup messages and is the most common cause of phones that register and then drop after a few minutes.

## 6. Factory reset

If nothing else works, unplug the phone, hold the star (*) key, plug it back in and keep holding for 10 seconds until the screen shows "Factory reset". The phone re-provisions itself; it must still be assigned in **Admin → Devices**.

## Still not registering?

Contact support with the phone's MAC address, a photo of the **Status** screen and your order number. Desk phones have a 2-year warranty.`,
  },
  {
    slug: 'webcam-not-detected',
    title: 'Webcam not detected or showing a black image',
    category: 'troubleshooting',
    content: `These steps apply to the WC-1080 HD Webcam and the WC-4K Webcam.

## Quick checks

1. Slide the privacy shutter on the front of the webcam open. A closed shutter shows a black image, even though the camera is detected.
2. Plug the webcam directly into the computer, not through an unpowered USB hub or a monitor. The WC-4K needs a USB 3.0 port (usually marked blue or "SS") for 4K video; on a USB 2.0 port it works at 1080p only.
3. Unplug the webcam, wait 10 seconds and plug it into a different port. The white light on top should turn on while a video app is using it.

## Allow camera access in your browser

When you use Switchboard in a browser, click the lock or camera icon in the address bar, set **Camera** to **Allow**, and reload the page. If you blocked the camera earlier, the browser won't ask again until you change this setting.

## Allow camera access in your operating system

- **Windows 10 and 11**: go to **Settings → Privacy & security → Camera** and turn on camera access, including for desktop apps and your browser.
- **macOS**: go to **System Settings → Privacy & Security → Camera** and turn on the switch for your browser or the Switchboard desktop app, then quit and reopen it.

## Choose the webcam in Switchboard

Go to **Settings → Video** and select the Switchboard webcam under **Camera**. Laptops often pick their built-in camera by default.

## Close other apps

On Windows, only one app can use a webcam at a time. Quit other video apps (Zoom, Microsoft Teams, OBS and similar) and try again.

## Check that the computer sees the webcam

- **Windows**: open **Device Manager** and look under **Cameras**. A yellow warning sign means a driver problem; right-click the webcam and choose **Uninstall device**, then unplug and replug it.
- **macOS**: open **System Information → USB** and check that the webcam is listed.

If the webcam is not listed on any port or computer, it's probably faulty.

## Update the firmware

Connect the webcam, open the Switchboard Hardware Manager and click **Update**.

## Still not detected?

Contact support with the webcam model, the serial number on the cable tag and your order number. Webcams have a 2-year warranty.`,
  },
  {
    slug: 'slow-app-and-supported-browsers',
    title: "App is slow or won't load, and supported browsers",
    category: 'troubleshooting',
    content: `If Switchboard is slow, pages don't load, or calls have poor quality, start here.

## 1. Check our status page

Go to status.switchboard.example to see whether there's an ongoing incident. You can subscribe to updates by email or text message.

## 2. Use a supported browser or app

- Google Chrome, Microsoft Edge and Mozilla Firefox: the latest two major versions.
- Safari 16.4 or later on macOS.
- Internet Explorer and Edge Legacy are not supported.
- Desktop app: Windows 10 (version 21H2) or later, macOS 12 or later.
- Mobile apps: iOS 16 or later, Android 11 or later.

We recommend at least 8 GB of RAM for the desktop app when making video calls.

## 3. Test your network

Go to **Settings → Diagnostics → Network test**. For good call quality you need, for each simultaneous call:

- at least 100 kbps upload and download (1.5 Mbps for HD video)
- latency under 150 ms
- jitter under 30 ms
- packet loss under 1%

VPNs and proxies often add latency; ask your IT team whether Switchboard traffic can bypass the VPN. Wi-Fi far from the router can cause choppy audio; use a cable where possible.

## 4. Clear your browser's cache and extensions

1. Sign out of Switchboard.
2. Clear the browser's cache and cookies for app.switchboard.example.
3. Disable extensions one at a time, especially ad blockers, privacy extensions and VPN extensions, to find one that interferes.
4. Make sure hardware acceleration is turned on in your browser settings.

## 5. Reduce the load

Close tabs you're not using. Switchboard keeps one live connection per tab, so having the app open in many tabs slows things down. Large exports and reports run in the background and can take a few minutes; you don't need to keep the page open.

## Still slow?

Click **Settings → Diagnostics → Send report**. You'll get a report ID; send it to support together with the time the problem happened, your browser and version, and what you were doing. Business and Enterprise customers can reach 24/7 chat and phone support for urgent issues.`,
  },

  {
    slug: 'contacting-support',
    title: 'Contacting support: hours, channels and response times',
    category: 'account',
    content: `Our support team answers Monday to Friday, 9 a.m. to 6 p.m. Eastern Time (ET), except US federal holidays. Messages that arrive outside these hours are answered on the next business day. Business and Enterprise customers also have 24/7 chat and phone support for urgent issues, such as an outage or calls that can't be made.

## Channels and response times by plan

| Plan | How to reach us | First reply |
|---|---|---|
| Starter | email | within 1 business day |
| Pro | email and chat | within 4 business hours |
| Business | email, chat and phone | within 1 hour for urgent issues, around the clock |
| Enterprise | email, chat, phone and your customer success manager | within 1 hour for urgent issues, around the clock |

Write to support@switchboard.example, or open the chat from the help icon in the app. The phone number for Business and Enterprise workspaces is shown under **Settings → Support** when you're signed in as an Owner or Admin.

## Talking to a person in the chat

The assistant in the chat answers from this help center and, when you're signed in, reads your own orders, invoices and subscription. Ask for a person at any time, for example "I'd like to talk to someone", and we'll open a ticket with a number such as TCK-987654. During support hours someone from the team replies in the same conversation; outside them the reply says when a person will answer.

## Help us help you faster

- For a hardware issue, have your order number (ORD- followed by 6 digits) and the device's serial number ready.
- For a billing question, include the invoice number (INV-YYYY-NNNNN).
- For an API error, include the \`correlation_id\` from the error response.
- For a problem in the app, send a diagnostics report first (**Settings → Diagnostics → Send report**) and give us its report ID.

We never ask for your password or a full card number, in the chat or by email.`,
  },

  // ------------------------------------------------------------------ integrations
  {
    slug: 'slack-integration',
    title: 'Slack integration',
    category: 'integrations',
    content: `The Slack integration sends Switchboard notifications to your Slack channels and lets your team look up tickets without leaving Slack. It's available on every plan.

## Connecting Slack

1. Sign in to Switchboard as a workspace Owner or Admin.
2. Go to **Settings → Integrations → Slack** and click **Connect**.
3. Sign in to Slack and approve the Switchboard app. If your Slack workspace requires app approval, a Slack admin has to approve it first.
4. Back in Switchboard, create notification rules: choose an event and the Slack channel it should post to.

## Notifications you can send

- A new support ticket, with its number (for example TCK-987654), subject and priority.
- A conversation handed off to a human agent.
- A missed call or a new voicemail, with the transcript on Pro and above.
- A daily summary at 9:00 in your workspace's time zone: calls, tickets opened and resolved, and average response time.

Starter workspaces can have up to 3 notification rules; Pro and above have no limit.

## Private channels

To post to a private channel, invite the app first by typing \`/invite @Switchboard\` in that channel. Otherwise the channel doesn't appear in the list.

## Slash commands

- \`/switchboard ticket TCK-987654\` shows a ticket's status, priority and assignee.
- \`/switchboard call +1 555 0100\` starts a call in the Switchboard desktop app.
- \`/switchboard status\` shows whether Switchboard has an ongoing incident.

Slash commands work for Slack users whose Slack email matches a member of your Switchboard workspace.

## Troubleshooting

- Notifications stopped: the Slack app may have been removed or the channel archived. Go to **Settings → Integrations → Slack** and click **Reconnect**.
- Duplicate notifications: check for two rules with the same event and channel.

## Disconnecting

Click **Disconnect** under **Settings → Integrations → Slack**. Messages already posted stay in Slack. Removing the app from Slack also disconnects it.`,
  },
  {
    slug: 'salesforce-integration',
    title: 'Salesforce integration',
    category: 'integrations',
    content: `The Salesforce integration logs your team's calls and support tickets in Salesforce and shows Salesforce records during calls. It's available on the Business and Enterprise plans.

## Requirements

- Salesforce Enterprise, Unlimited, Performance or Developer edition (editions with API access).
- A Salesforce administrator to install the package, and a Switchboard Owner or Admin to connect it.

## Installing

1. Install the **Switchboard for Salesforce** managed package from the Salesforce AppExchange, for admins only or for all users.
2. In Switchboard, go to **Settings → Integrations → Salesforce** and click **Connect**.
3. Sign in with the Salesforce administrator account and allow access. To connect a sandbox first, choose **Sandbox** before signing in.
4. Choose which Salesforce users map to which Switchboard members. Members are matched by email automatically.

## What syncs

- **Calls** are logged as completed Tasks on the matching Contact, Lead or Account, with the duration, direction, outcome, and a link to the recording and transcript.
- **Support tickets** are logged as Tasks, and updated when their status changes.
- **Contacts and Leads** are read from Salesforce every 15 minutes, so incoming calls show the caller's name, company and owner.

Records are matched by phone number first, then by email. If nothing matches, the call is logged against a new Lead only if you turn on **Create leads for unknown callers**.

## Click-to-dial and screen pop

With the package installed, phone numbers in Salesforce become click-to-dial links that start calls in the Switchboard desktop app, and incoming calls open the matching Salesforce record automatically.

## Field mapping

Under **Settings → Integrations → Salesforce → Field mapping** you can map call outcomes and ticket fields to custom Salesforce fields, including picklists.

## API usage

The integration uses about one Salesforce API call for each logged call or ticket update, plus one call per sync every 15 minutes. This counts towards your Salesforce org's daily API limit.

## Troubleshooting

If calls stop appearing in Salesforce, check **Settings → Integrations → Salesforce → Sync log**. The most common causes are an expired connection (click **Reconnect**) or the connected Salesforce user losing API permission.`,
  },
  {
    slug: 'zendesk-integration',
    title: 'Zendesk integration',
    category: 'integrations',
    content: `The Zendesk integration creates Zendesk tickets from Switchboard calls and conversations and keeps them in sync. It's available on the Pro, Business and Enterprise plans.

## Requirements

- Zendesk Suite Team or higher, or Zendesk Support Professional or higher.
- A Zendesk administrator to authorize the connection, and a Switchboard Owner or Admin.

## Connecting

1. Go to **Settings → Integrations → Zendesk** and click **Connect**.
2. Enter your Zendesk subdomain (for example, acme for acme.zendesk.com).
3. Sign in as a Zendesk administrator and click **Allow**.
4. Choose when Switchboard should create a Zendesk ticket: for every conversation handed off to a human, for every missed call and voicemail, or only when an agent clicks **Send to Zendesk**.

## What syncs

- A Zendesk ticket is created with the conversation transcript or call summary, the caller's phone number and email, and a link to the recording.
- The Switchboard ticket number (for example TCK-987654) is stored in a Zendesk custom field called **Switchboard ticket**, so you can search for it in either tool.
- Status changes and public comments sync in both directions every 5 minutes. Solving the ticket in Zendesk resolves it in Switchboard, and the other way round.
- Requesters are matched to Zendesk users by email, then by phone number. Unknown requesters are created as new end users.

## Assignment

Tickets are assigned to the Zendesk group you choose under **Default group**. If the Switchboard member who handled the call has a Zendesk agent account with the same email, the ticket is assigned to them.

## Limits

The integration uses the Zendesk API and counts towards your Zendesk account's rate limit (700 requests per minute on Suite Team). Very busy accounts can set the sync interval to 10 or 15 minutes.

## Troubleshooting

- Tickets aren't created: check that the connecting Zendesk administrator is still active, and click **Reconnect** if the status shows "Authorization expired".
- Comments don't sync: only public comments sync; internal notes stay in the tool they were written in.

## Disconnecting

Click **Disconnect** under **Settings → Integrations → Zendesk**. Existing tickets stay in both tools but stop syncing.`,
  },
];
