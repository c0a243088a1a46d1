import type { AppAnswers } from './answers.js';

/** One file of the new project: its template under templates/app and where it lands. */
export interface ProjectFile {
  template: string;
  destination: string;
}

/**
 * The files a set of answers produces. Dotfiles are stored as `_name` so that `npm pack` keeps
 * them (npm drops `.gitignore` from a package), and renamed here.
 */
export function projectFiles(answers: AppAnswers, bare: string): ProjectFile[] {
  const file = (template: string, destination = template.replace(/\.ejs$/, '')): ProjectFile => ({
    template,
    destination,
  });
  const files: ProjectFile[] = [
    file('tsconfig.json'),
    file('_gitignore', '.gitignore'),
    file('README.md.ejs'),
    file('etc/service.ini.ejs', `etc/${bare}.ini`),
    file('etc/development.ini.ejs'),
    file('etc/test.ini.ejs'),
    file('etc/nginx.conf.ejs'),
    file('src/main.ts.ejs'),
    file('src/routes.ts.ejs'),
    file('src/controllers/index.ts.ejs'),
    file('src/controllers/hello.ts.ejs'),
    file('test/start-service.ts.ejs'),
    file('test/heartbeat.test.ts.ejs'),
    file('test/hello.test.ts.ejs'),
    file('_github/workflows/ci.yml.ejs', '.github/workflows/ci.yml'),
  ];
  if (answers.auth !== 'none') {
    files.push(file('src/controllers/whoami.ts.ejs'), file('test/whoami.test.ts.ejs'));
  }
  if (answers.docker) {
    files.push(
      file('Dockerfile.ejs'),
      file('_dockerignore', '.dockerignore'),
      file('docker-compose.yml.ejs'),
    );
    if (answers.auth === 'ldap') files.push(file('etc/ldap/people.ldif.ejs'));
  }
  return files;
}
