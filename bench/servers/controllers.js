// The generated controllers (templates/app/src/controllers), compiled by hand to JavaScript, for
// the in-repo service that stands in for a generated one.

export class HelloController {
  greet(ctx) {
    const name = String(ctx.params.name);
    const service = ctx.config.getString('service', 'name', 'bench-service');
    return { greeting: `Hello, ${name}!`, service };
  }
}

export class WhoamiController {
  show(ctx) {
    return { username: ctx.user.username };
  }
}
