/** Request and response shapes of the items API (validated on the way in, documented in OpenAPI). */
import { IsDateString, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateIf } from 'class-validator';

export class CreateItem {
  @IsString() @Length(1, 200) title!: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
}

export class UpdateItem {
  /** May be left out, not set to null: the column is NOT NULL (IsOptional would let null through). */
  @ValidateIf((_, value) => value !== undefined) @IsString() @Length(1, 200) title?: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
}

/** An item as the API returns it. */
export class ItemOut {
  @IsUUID() id!: string;
  @IsString() title!: string;
  @IsOptional() @IsString() description!: string | null;
  /** `sub` of the user who created it. */
  @IsUUID() ownerId!: string;
  @IsDateString() createdAt!: string;
  @IsDateString() updatedAt!: string;
}

export class BootstrapResult {
  @IsString() status!: string;
  @IsString() by!: string;
}
