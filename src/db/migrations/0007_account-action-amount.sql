ALTER TABLE "account_actions" ADD COLUMN "amount_cents" integer;--> statement-breakpoint
ALTER TABLE "account_actions" ADD COLUMN "currency" text;