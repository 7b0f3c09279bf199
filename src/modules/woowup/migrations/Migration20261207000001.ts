import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261207000001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "woowup_reward" add column if not exists "current_identifier" text null, add column if not exists "current_identity" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "woowup_reward" drop column if exists "current_identifier", drop column if exists "current_identity";`);
  }

}
