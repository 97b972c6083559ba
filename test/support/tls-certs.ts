/**
 * A throwaway certificate authority for tests of https servers: `openssl` (Debian's) writes a CA, a
 * server certificate for 127.0.0.1 and a client certificate into `dir`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCerts {
  /** PEM texts. */
  readonly ca: string;
  readonly serverKey: string;
  readonly serverCert: string;
  /** File names in `dir`: ca.crt, client.crt, client.key (kubeconfigs point at them relatively). */
  readonly dir: string;
}

export function makeTestCerts(dir: string): TestCerts {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca');
  const issue = (name: string, subject: string, ext: string) => {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    writeFileSync(join(dir, `${name}.ext`), ext);
    // prettier-ignore
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`);
  };
  issue('server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1\n');
  issue('client', '/CN=ci-user/O=ci', 'extendedKeyUsage=clientAuth\n');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { ca: read('ca.crt'), serverKey: read('server.key'), serverCert: read('server.crt'), dir };
}
