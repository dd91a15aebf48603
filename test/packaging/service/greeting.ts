/** A controller with a constructor-injected service: the smallest real m8 service. */
import { Get, JsonController } from 'routing-controllers';
import { injectable } from 'tsyringe';

@injectable()
export class GreetingService {
  greet(name: string): string {
    return `hello, ${name}`;
  }
}

@JsonController('/greeting')
@injectable()
export class GreetingController {
  constructor(private readonly greetings: GreetingService) {}

  @Get('/')
  get(): { message: string } {
    return { message: this.greetings.greet('packaging') };
  }
}
