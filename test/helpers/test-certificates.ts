import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyAndCertificate {
  key: string;
  cert: string;
}

/** The `-subj` form openssl takes, from attribute pairs in certificate order (root first). */
const subj = (attributes: ReadonlyArray<readonly [string, string]>) => attributes.map(([type, value]) => `/${type}=${value.replace(/[/\\]/g, (c) => `\\${c}`)}`).join('');

/**
 * A throwaway PKI for the mTLS tests, made with the openssl command into a temporary directory on
 * each run (no key that anything trusts is ever committed): a CA, certificates it signs for the
 * server (127.0.0.1) and for clients, and a CA of its own for certificates the server must not
 * trust. P-256 keys, valid for two days.
 */
export class TestCertificates {
  readonly ca: KeyAndCertificate;
  private serial = 1;

  private constructor(
    readonly dir: string,
    name: string,
  ) {
    this.ca = this.selfSigned(name);
  }

  static create(caName = 'tmf688 test CA'): TestCertificates {
    return new TestCertificates(mkdtempSync(join(tmpdir(), 'tmf688-certs-')), caName);
  }

  /** The server's certificate, for 127.0.0.1 (subjectAltName IP). */
  server(): KeyAndCertificate {
    return this.signed('server', [['CN', '127.0.0.1']], ['subjectAltName=IP:127.0.0.1', 'extendedKeyUsage=serverAuth']);
  }

  /** A client certificate with these subject attributes, root first as in a certificate (C, O, OU, CN). */
  client(attributes: ReadonlyArray<readonly [string, string]>): KeyAndCertificate {
    return this.signed(`client-${this.serial}`, attributes, ['extendedKeyUsage=clientAuth']);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private openssl(...args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  private newKey(name: string): string {
    this.openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
    return `${name}.key`;
  }

  private selfSigned(name: string): KeyAndCertificate {
    const file = `ca-${this.serial++}`;
    const key = this.newKey(file);
    this.openssl('req', '-x509', '-new', '-key', key, '-out', `${file}.crt`, '-days', '2', '-subj', subj([['CN', name]]),
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    return this.read(file);
  }

  private signed(file: string, attributes: ReadonlyArray<readonly [string, string]>, extensions: string[]): KeyAndCertificate {
    const key = this.newKey(file);
    this.openssl('req', '-new', '-key', key, '-out', `${file}.csr`, '-subj', subj(attributes));
    writeFileSync(join(this.dir, `${file}.ext`), `${extensions.join('\n')}\n`);
    writeFileSync(join(this.dir, 'ca-signing.key'), this.ca.key);
    writeFileSync(join(this.dir, 'ca-signing.crt'), this.ca.cert);
    this.openssl('x509', '-req', '-in', `${file}.csr`, '-CA', 'ca-signing.crt', '-CAkey', 'ca-signing.key', '-set_serial', String(this.serial++),
      '-days', '2', '-extfile', `${file}.ext`, '-out', `${file}.crt`);
    return this.read(file);
  }

  private read(file: string): KeyAndCertificate {
    return { key: readFileSync(join(this.dir, `${file}.key`), 'utf8'), cert: readFileSync(join(this.dir, `${file}.crt`), 'utf8') };
  }
}
