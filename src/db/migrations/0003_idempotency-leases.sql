ALTER TABLE "idempotency_keys" ADD COLUMN "holder" uuid;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "lease_expires_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_one_reply_uq" ON "messages" USING btree ("reply_to") WHERE role = 'assistant';