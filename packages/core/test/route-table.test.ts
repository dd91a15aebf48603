/**
 * The route table's precedence analysis: an action goes to routing-controllers exactly when
 * find-my-way could pick it where @koa/router (first declared wins) would pick another.
 */
import { describe, expect, it } from 'vitest';
import { Get, Head, JsonController, Post, UseBefore } from 'routing-controllers';
import { buildRouteTable, routeInfo } from '../src/routing/route-table';

@JsonController('/a')
class HeadAfterGet {
  @Get('/:id') get() {}
  @Head('/x') head() {}
}

@JsonController('/b')
class StaticFirst {
  @Get('/x') x() {}
  @Get('/:id') id() {}
  @Get('/:id/y') idY() {}
}

/** `/d/x/y` matches both: @koa/router picks `/:id/y` (first), find-my-way `/x/:z` (static first). */
@JsonController('/d')
class DeeperConflict {
  @Get('/:id/y') idY() {}
  @Get('/x/:z') xZ() {}
}

@JsonController('/c')
@UseBefore((_ctx: unknown, next: () => Promise<void>) => next())
class RegexpFirst {
  @Get(/^\/api\/c\/.*/) any() {}
}

@JsonController('/c')
class AfterRegexp {
  @Get('/x') x() {}
  @Post('/x') post() {}
}

@JsonController('/e')
class OtherMethods {
  @Post('/e/:id') post() {}
  @Get('/e/x') get() {}
}

const plan = (...controllers: Function[]) => buildRouteTable(controllers, { routePrefix: '/api' }, true).map(routeInfo);

describe('the route table', () => {
  it('sends a later explicit HEAD route to routing-controllers when an earlier GET route overlaps it', () => {
    expect(plan(HeadAfterGet).map((r) => [r.action, r.executor])).toEqual([
      ['HeadAfterGet.get', 'routing-controllers'],
      ['HeadAfterGet.head', 'routing-controllers'],
    ]);
  });

  it('keeps static-before-parameter declarations compiled: both routers pick the same', () => {
    expect(plan(StaticFirst).every((r) => r.executor === 'compiled')).toBe(true);
  });

  it('finds a conflict decided by a later segment', () => {
    expect(plan(DeeperConflict)[1]?.reason).toBe(
      'find-my-way would prefer DeeperConflict.xZ (GET /api/d/x/:z) to the earlier DeeperConflict.idY (GET /api/d/:id/y); routing-controllers serves the first declared',
    );
  });

  it('cannot tell what a regexp route matches: a later action of the same method falls back, another method does not overlap', () => {
    const routes = plan(RegexpFirst, AfterRegexp);
    expect(routes.find((r) => r.action === 'AfterRegexp.x')?.reason).toContain('declared after RegexpFirst.any');
    // The whole controller goes with it.
    expect(routes.find((r) => r.action === 'AfterRegexp.post')?.executor).toBe('routing-controllers');
  });

  it('does not relate routes of different methods', () => {
    expect(plan(OtherMethods).every((r) => r.executor === 'compiled')).toBe(true);
  });

  it("sends everything to routing-controllers with routing: 'routing-controllers'", () => {
    const routes = buildRouteTable([StaticFirst], { routePrefix: '/api' }, false).map(routeInfo);
    expect(routes.map((r) => r.reason)).toEqual(Array(3).fill("routing: 'routing-controllers'"));
    expect(routes[1]).toEqual({ method: 'GET', path: '/api/b/:id', action: 'StaticFirst.id', executor: 'routing-controllers', reason: "routing: 'routing-controllers'" });
  });
});
