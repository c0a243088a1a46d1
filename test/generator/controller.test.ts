import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBin, temporaryFolder } from './built-bin.js';

let folder: ReturnType<typeof temporaryFolder>;
afterEach(() => folder?.remove());

function generateService(auth = 'memory'): string {
  folder = temporaryFolder();
  const result = runBin(['shop', '--yes', '--skip-install', '--skip-git', '--auth', auth], {
    cwd: folder.path,
  });
  expect(result.status, result.stderr).toBe(0);
  return join(folder.path, 'shop');
}

// each test runs the bin several times, about a second each, and several seconds on a busy machine
describe('create-services-app controller NAME', { timeout: 90_000 }, () => {
  it('adds the controller, its routes at the marked line, its registration and its test', () => {
    const root = generateService();
    const result = runBin(
      [
        'controller',
        'order-items',
        '--methods',
        'GET,POST',
        '--auth',
        '--path',
        '/orders/:id/items',
      ],
      { cwd: join(root, 'src') },
    );
    expect(result.status, result.stderr).toBe(0);

    const controller = readFileSync(join(root, 'src/controllers/order-items.ts'), 'utf8');
    expect(controller).toContain('export class OrderItemsController');
    expect(controller).toMatch(/^ {2}get\(ctx: ServiceContext\)/m);
    expect(controller).toMatch(/^ {2}post\(ctx: ServiceContext\)/m);

    const routes = readFileSync(join(root, 'src/routes.ts'), 'utf8');
    const added =
      "  { method: 'GET', path: '/orders/:id/items', controller: 'orderItems', action: 'get', auth: true },\n  { method: 'POST', path: '/orders/:id/items', controller: 'orderItems', action: 'post', auth: true },\n  // create-services-app controller adds routes above this line";
    expect(routes).toContain(added);
    const index = readFileSync(join(root, 'src/controllers/index.ts'), 'utf8');
    expect(index).toContain("import { OrderItemsController } from './order-items.js';");
    expect(index).toContain('  orderItems: OrderItemsController,');

    const test = readFileSync(join(root, 'test/order-items.test.ts'), 'utf8');
    expect(test).toContain("fetch(service.url('/orders/sample/items')");
    expect(test).toContain('toBe(401)');
  });

  it('running it again changes nothing; a changed file is a conflict unless --force', () => {
    const root = generateService();
    expect(runBin(['controller', 'orders'], { cwd: root }).status).toBe(0);
    const routes = readFileSync(join(root, 'src/routes.ts'), 'utf8');

    const again = runBin(['controller', 'orders'], { cwd: root });
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(root, 'src/routes.ts'), 'utf8')).toBe(routes);

    const file = join(root, 'src/controllers/orders.ts');
    writeFileSync(file, '// my own orders controller\n');
    const conflict = runBin(['controller', 'orders'], { cwd: root });
    expect(conflict.status).toBe(1);
    expect(conflict.stderr).toContain('GEN_ERR_CONFLICT');
    expect(conflict.stderr).toContain('src/controllers/orders.ts');
    expect(readFileSync(file, 'utf8')).toBe('// my own orders controller\n');

    expect(runBin(['controller', 'orders', '--force'], { cwd: root }).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('export class OrdersController');
  });

  it('--dry-run lists the files and changes none', () => {
    const root = generateService();
    const routes = readFileSync(join(root, 'src/routes.ts'), 'utf8');
    const result = runBin(['controller', 'orders', '--dry-run'], { cwd: root });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('src/controllers/orders.ts');
    expect(result.stderr).toContain('src/routes.ts');
    expect(readFileSync(join(root, 'src/routes.ts'), 'utf8')).toBe(routes);
  });

  it('refuses a bad name, --auth without a backend, and a folder outside a service', () => {
    const root = generateService('none');
    for (const name of ['Orders', '../x', 'hello', 'a_b']) {
      const result = runBin(['controller', name], { cwd: root });
      expect(result.status, name).toBe(2);
      expect(result.stderr).toContain('GEN_ERR_INVALID_NAME');
    }
    const auth = runBin(['controller', 'orders', '--auth'], { cwd: root });
    expect(auth.status).toBe(2);
    expect(auth.stderr).toContain('--auth none');

    const outside = runBin(['controller', 'orders'], { cwd: folder.path });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain('GEN_ERR_NOT_A_SERVICE');
  });
});
