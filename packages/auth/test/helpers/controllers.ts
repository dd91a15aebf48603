/** Controllers shared by the HTTP tests: one route per guard, plus current-user probes. */
import { Authorized, CurrentUser, Get, JsonController } from 'routing-controllers';
import { inject, injectable } from 'tsyringe';
import { CURRENT_USER, Role, type UserModel } from '@m8/auth';

@JsonController('/guards')
export class GuardController {
  @Get('/public')
  open(): { ok: boolean } {
    return { ok: true };
  }

  @Authorized()
  @Get('/any')
  any(@CurrentUser() user: UserModel): UserModel {
    return user;
  }

  @Authorized(Role.USER)
  @Get('/user')
  user(): { ok: boolean } {
    return { ok: true };
  }

  @Authorized(Role.READER)
  @Get('/reader')
  reader(): { ok: boolean } {
    return { ok: true };
  }

  @Authorized(Role.WRITER)
  @Get('/writer')
  writer(): { ok: boolean } {
    return { ok: true };
  }

  @Authorized(Role.ADMIN)
  @Get('/admin')
  admin(): { ok: boolean } {
    return { ok: true };
  }

  @Authorized(Role.SUPERADMIN)
  @Get('/superadmin')
  superadmin(): { ok: boolean } {
    return { ok: true };
  }

  @Authorized([Role.ADMIN, Role.READER])
  @Get('/admin-or-reader')
  adminOrReader(): { ok: boolean } {
    return { ok: true };
  }

  @Authorized('owner')
  @Get('/misnamed-role')
  misnamed(): { ok: boolean } {
    return { ok: true };
  }

  /** No guard, two injections: still one validation. */
  @Get('/me-twice')
  meTwice(@CurrentUser() first: UserModel, @CurrentUser() second: UserModel): { same: boolean; id: string } {
    return { same: first === second, id: first.id };
  }
}

@injectable()
export class AuditService {
  constructor(@inject(CURRENT_USER) readonly user: UserModel) {}
}

@JsonController('/profile')
@injectable()
export class ProfileController {
  constructor(private readonly audit: AuditService) {}

  /** A guard, a @CurrentUser() and a service injecting CURRENT_USER: one validation. */
  @Authorized(Role.WRITER)
  @Get('/')
  profile(@CurrentUser() user: UserModel): { fromService: string; same: boolean } {
    return { fromService: this.audit.user.email, same: this.audit.user === user };
  }
}

@JsonController('/unguarded-profile')
@injectable()
export class UnguardedProfileController {
  constructor(private readonly audit: AuditService) {}

  @Get('/')
  profile(): { email: string } {
    return { email: this.audit.user.email };
  }
}
