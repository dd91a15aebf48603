/** A route for admins only: 200 with an admin token, 403 with a user's, 401 with none. */
import { Authorized, CurrentUser, Get, JsonController } from 'routing-controllers';
import { Role, type UserModel } from '@m8/auth';

@JsonController('/reports')
export class ReportsController {
  @Authorized(Role.ADMIN)
  @Get('/')
  list(@CurrentUser({ required: true }) user: UserModel): { for: string } {
    return { for: user.email };
  }
}
