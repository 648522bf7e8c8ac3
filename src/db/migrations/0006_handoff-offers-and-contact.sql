ALTER TABLE "messages" ADD COLUMN "quick_replies" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "follow_up" jsonb;--> statement-breakpoint
ALTER TABLE "support_tickets" ADD COLUMN "contact_email" text;