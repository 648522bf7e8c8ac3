CREATE TYPE "public"."conversation_outcome" AS ENUM('resolved', 'handed_off', 'abandoned');--> statement-breakpoint
CREATE TYPE "public"."ingest_status" AS ENUM('pending', 'ready', 'failed');--> statement-breakpoint
CREATE TABLE "conversation_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"user_id" uuid,
	"rating" smallint NOT NULL,
	"comment" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_feedback_rating_range" CHECK ("conversation_feedback"."rating" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "llm_usage_daily" (
	"day" date NOT NULL,
	"model" text NOT NULL,
	"agent" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cached_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" numeric(14, 6) DEFAULT 0 NOT NULL,
	"conversations" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "llm_usage_daily_day_model_agent_pk" PRIMARY KEY("day","model","agent")
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "outcome" "conversation_outcome";--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "ended_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "knowledge_documents" ADD COLUMN "ingest_status" "ingest_status" DEFAULT 'ready' NOT NULL;--> statement-breakpoint
ALTER TABLE "knowledge_documents" ADD COLUMN "ingest_error" text;--> statement-breakpoint
ALTER TABLE "knowledge_documents" ADD COLUMN "ingested_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "conversation_feedback" ADD CONSTRAINT "conversation_feedback_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_feedback" ADD CONSTRAINT "conversation_feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_feedback_conversation_uq" ON "conversation_feedback" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "conversation_feedback_user_idx" ON "conversation_feedback" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "conversation_feedback_created_idx" ON "conversation_feedback" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "conversations_outcome_created_idx" ON "conversations" USING btree ("outcome","created_at");