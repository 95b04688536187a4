// The Chromium the console test drives. A system Chromium when ConsoleIT found one (CHROMIUM);
// otherwise the headless shell that @sparticuz/chromium ships inside its npm package (Linux x64),
// which the build installs with playwright-core, so the test needs nothing installed by hand.
// The package carries the browser Brotli-compressed; it is unpacked once, beside node_modules'
// other contents, and a fresh `npm ci` (a new lock file) unpacks it again.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const UNPACKED = fileURLToPath(new URL('node_modules/.chromium/', import.meta.url));

/** The options for playwright's chromium.launch(). */
export async function launchOptions() {
  const system = process.env.CHROMIUM;
  if (system) {
    return { executablePath: system, headless: true };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`no Chromium for ${process.platform}/${process.arch} in the npm package: set PERS_CHROMIUM`);
  }
  const bin = fileURLToPath(new URL('node_modules/@sparticuz/chromium/bin/', import.meta.url));
  mkdirSync(UNPACKED, { recursive: true });
  // inflate() unpacks into os.tmpdir(), which reads TMPDIR at each call.
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = UNPACKED;
  try {
    const { inflate } = await import('@sparticuz/chromium');
    // The browser, its software GL (swiftshader), a font, and the few shared libraries it links
    // beyond glibc (NSS, NSPR, expat) so a machine without them still runs it.
    for (const archive of ['chromium.br', 'swiftshader.tar.br', 'fonts.tar.br', 'al2023.tar.br']) {
      await inflate(join(bin, archive));
    }
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  }
  const executablePath = join(UNPACKED, 'chromium');
  if (!existsSync(executablePath)) throw new Error(`${executablePath} was not unpacked`);
  // The package's fonts.conf names serverless paths (/tmp/fonts, /var/task): without a font
  // found, pages lay out no text at all. This one names the shipped font and the system's.
  const fontconfig = join(UNPACKED, 'fontconfig');
  mkdirSync(fontconfig, { recursive: true });
  writeFileSync(
    join(fontconfig, 'fonts.conf'),
    `<?xml version="1.0"?>\n<fontconfig><dir>${join(UNPACKED, 'fonts', 'fonts')}</dir><dir>/usr/share/fonts</dir>` +
      `<cachedir>${join(UNPACKED, 'fonts-cache')}</cachedir></fontconfig>\n`,
  );
  return {
    executablePath,
    headless: true,
    env: {
      ...process.env,
      LD_LIBRARY_PATH: [join(UNPACKED, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_PATH: fontconfig,
    },
  };
}
