import { Authorized, CurrentUser, JsonController, Post } from 'routing-controllers';
import { Role, type UserModel } from '@m8/auth';
import { ResponseSchema } from '@m8/openapi';
import { BootstrapResult } from './schemas';

@JsonController('/admin')
export class AdminController {
  /** Superadmins only: role superadmin AND is_superuser (docs/interop.md §2). */
  @Authorized(Role.SUPERADMIN)
  @Post('/bootstrap')
  @ResponseSchema(BootstrapResult)
  bootstrap(@CurrentUser({ required: true }) user: UserModel): { status: string; by: string } {
    return { status: 'bootstrapped', by: user.email };
  }
}
