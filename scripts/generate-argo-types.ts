/**
 * Generates the slim Argo CRD modules in src/manifests/generated/ from the full `cdk8s import` output in
 * imports/ (see cdk8s.yaml). A slim module holds only what src/ uses: the names it refers to, the
 * interface properties it sets or reads (plus every required property), the types those properties
 * need, and the `toJson_*` converters for them, each cut to the kept properties. The full modules are
 * 9.4 MB of TypeScript that every test importing src/manifests would otherwise transform.
 *
 * Usage is found with the TypeScript checker: src/ is compiled against the full modules (each slim
 * path is served the full text), and every expression whose contextual type comes from a module is
 * walked against that type. So after src/manifests starts using another field or type, one command
 * brings the slim modules up to date: `npm run generate:argo-types` (`--check` only compares).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');

/** Each full `cdk8s import` module and the slim module generated from it. */
export const MODULES: readonly { readonly full: string; readonly slim: string }[] = [
  { full: 'imports/argo-wt-argoproj.io.ts', slim: 'src/manifests/generated/argo-wt.ts' },
  { full: 'imports/argo-cron-argoproj.io.ts', slim: 'src/manifests/generated/argo-cron.ts' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
}

/** The declarations of one full module, by top-level name. */
interface ModuleIndex {
  readonly file: ts.SourceFile;
  readonly declarations: Map<string, ts.Statement>;
}

function declarationName(statement: ts.Statement): string | undefined {
  if (
    (ts.isInterfaceDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isFunctionDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement)) &&
    statement.name !== undefined
  ) {
    return statement.name.text;
  }
  return undefined;
}

function indexModule(file: ts.SourceFile): ModuleIndex {
  const declarations = new Map<string, ts.Statement>();
  for (const statement of file.statements) {
    const name = declarationName(statement);
    if (name !== undefined) declarations.set(name, statement);
  }
  return { file, declarations };
}

/** What src/ uses of the modules: top-level names, and properties per interface. */
class Usage {
  readonly names = new Map<ts.SourceFile, Set<string>>();
  readonly properties = new Map<ts.SourceFile, Map<string, Set<string>>>();

  useName(file: ts.SourceFile, name: string): void {
    let names = this.names.get(file);
    if (names === undefined) this.names.set(file, (names = new Set()));
    names.add(name);
  }

  useProperty(file: ts.SourceFile, owner: string, property: string): void {
    let owners = this.properties.get(file);
    if (owners === undefined) this.properties.set(file, (owners = new Map()));
    let properties = owners.get(owner);
    if (properties === undefined) owners.set(owner, (properties = new Set()));
    properties.add(property);
  }

  propertiesOf(file: ts.SourceFile, owner: string): ReadonlySet<string> {
    return this.properties.get(file)?.get(owner) ?? new Set();
  }
}

function collectUsage(
  program: ts.Program,
  moduleFiles: ReadonlySet<ts.SourceFile>,
  srcFiles: readonly string[],
): Usage {
  const checker = program.getTypeChecker();
  const usage = new Usage();
  const walked = new Map<ts.Type, Set<ts.Type>>();

  /** The module interface a type is declared by, if any. */
  const moduleInterface = (type: ts.Type): { file: ts.SourceFile; name: string } | undefined => {
    const declaration = type.getSymbol()?.declarations?.[0];
    if (declaration === undefined || !ts.isInterfaceDeclaration(declaration)) return undefined;
    const file = declaration.getSourceFile();
    return moduleFiles.has(file) ? { file, name: declaration.name.text } : undefined;
  };

  const parts = (type: ts.Type): ts.Type[] =>
    (type.isUnion() ? type.types : [type]).filter(
      (t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0,
    );

  /** Marks the properties of `target` (a module type) that `source` supplies, recursively. */
  const walk = (source: ts.Type, target: ts.Type): void => {
    let seen = walked.get(source);
    if (seen === undefined) walked.set(source, (seen = new Set()));
    if (seen.has(target)) return;
    seen.add(target);
    for (const t of parts(target)) {
      for (const s of parts(source)) {
        // A value already typed by a module interface was counted where it was built.
        if (moduleInterface(s) !== undefined) continue;
        if (checker.isArrayType(t)) {
          const targetElement = checker.getTypeArguments(t as ts.TypeReference)[0];
          const sourceElements =
            checker.isArrayType(s) || checker.isTupleType(s) ? checker.getTypeArguments(s as ts.TypeReference) : [];
          if (targetElement !== undefined) for (const element of sourceElements) walk(element, targetElement);
          continue;
        }
        const owner = moduleInterface(t);
        if (owner === undefined) continue;
        for (const property of checker.getPropertiesOfType(s)) {
          const targetProperty = t.getProperty(property.name);
          if (targetProperty === undefined) continue;
          usage.useProperty(owner.file, owner.name, property.name);
          walk(checker.getTypeOfSymbol(property), checker.getTypeOfSymbol(targetProperty));
        }
      }
    }
  };

  const fromModule = (node: ts.Node): ts.SourceFile | undefined => {
    const symbol = checker.getSymbolAtLocation(node);
    const resolved =
      symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = resolved?.declarations?.[0];
    // Top-level declarations only: `wt.Enum.MEMBER` names the enum, not a declaration `MEMBER`.
    return declaration?.parent !== undefined &&
      ts.isSourceFile(declaration.parent) &&
      moduleFiles.has(declaration.parent)
      ? declaration.parent
      : undefined;
  };

  const visit = (node: ts.Node): void => {
    // Names: `ns.Name` in values and types, and `import { Name } from` a module.
    if (ts.isPropertyAccessExpression(node) || ts.isQualifiedName(node)) {
      const name = ts.isPropertyAccessExpression(node) ? node.name : node.right;
      const file = fromModule(name);
      if (file !== undefined) usage.useName(file, name.text);
    }
    if (ts.isImportSpecifier(node)) {
      const file = fromModule(node.name);
      if (file !== undefined) usage.useName(file, (node.propertyName ?? node.name).text);
    }
    // Properties read from a module-typed value.
    if (ts.isPropertyAccessExpression(node)) {
      for (const t of parts(checker.getTypeAtLocation(node.expression))) {
        const owner = moduleInterface(t);
        if (owner !== undefined && t.getProperty(node.name.text) !== undefined) {
          usage.useProperty(owner.file, owner.name, node.name.text);
        }
      }
    }
    // Properties supplied where a module type is expected.
    if (ts.isExpression(node)) {
      const contextual = checker.getContextualType(node);
      if (contextual !== undefined) walk(checker.getTypeAtLocation(node), contextual);
    }
    ts.forEachChild(node, visit);
  };

  for (const path of srcFiles) {
    const file = program.getSourceFile(path);
    if (file !== undefined) visit(file);
  }
  return usage;
}

/** The top-level names a node refers to. */
function referencedNames(node: ts.Node, index: ModuleIndex): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && index.declarations.has(n.text)) names.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

function isKeptMember(member: ts.TypeElement, kept: ReadonlySet<string>): boolean {
  if (!ts.isPropertySignature(member)) return true;
  const name = member.name.getText();
  return kept.has(name) || member.questionToken === undefined;
}

/** `toJson_X`'s `const result = { ... }` literal. */
function resultLiteral(fn: ts.FunctionDeclaration): ts.ObjectLiteralExpression | undefined {
  for (const statement of fn.body?.statements ?? []) {
    if (!ts.isVariableStatement(statement)) continue;
    const init = statement.declarationList.declarations[0]?.initializer;
    if (init !== undefined && ts.isObjectLiteralExpression(init)) return init;
  }
  return undefined;
}

/** The `obj.<property>` a converter entry reads. */
function readProperty(entry: ts.ObjectLiteralElementLike): string | undefined {
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'obj') {
      found = n.name.text;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(entry);
  return found;
}

function renderSlim(index: ModuleIndex, usage: Usage, fullPath: string): string {
  const { file, declarations } = index;
  const text = file.getFullText();
  const owned = (name: string): string => name.replace(/^toJson_/, '');

  /** A statement's text, cut down to what is kept, and the names that text refers to. */
  const slimStatement = (statement: ts.Statement, name: string): { text: string; refs: Set<string> } => {
    const kept = usage.propertiesOf(file, owned(name));
    if (ts.isInterfaceDeclaration(statement)) {
      const members = statement.members.filter((m) => isKeptMember(m, kept));
      const refs = new Set<string>();
      for (const m of members) for (const r of referencedNames(m, index)) refs.add(r);
      const body = members.map((m) => m.getFullText()).join('');
      return {
        text:
          text.slice(statement.getFullStart(), statement.members.pos) +
          body +
          text.slice(statement.members.end, statement.end),
        refs,
      };
    }
    const literal = ts.isFunctionDeclaration(statement) ? resultLiteral(statement) : undefined;
    if (literal !== undefined) {
      const iface = declarations.get(owned(name));
      const entries = literal.properties.filter((entry) => {
        const property = readProperty(entry);
        if (property === undefined || iface === undefined || !ts.isInterfaceDeclaration(iface)) return true;
        const member = iface.members.find((m) => m.name?.getText() === property);
        return member === undefined || isKeptMember(member, kept);
      });
      const refs = new Set<string>();
      for (const r of referencedNames(statement, index)) {
        if (!literal.properties.some((entry) => referencedNames(entry, index).has(r))) refs.add(r);
      }
      for (const entry of entries) for (const r of referencedNames(entry, index)) refs.add(r);
      const body = entries.map((entry) => entry.getFullText() + ',').join('');
      const after = text.slice(literal.properties.end, statement.end).replace(/^,/, '');
      return { text: text.slice(statement.getFullStart(), literal.properties.pos) + body + after, refs };
    }
    return { text: statement.getFullText(), refs: referencedNames(statement, index) };
  };

  // Everything reachable from the names src/ uses.
  const rendered = new Map<string, string>();
  const queue = [...(usage.names.get(file) ?? [])];
  while (queue.length > 0) {
    const name = queue.pop();
    if (name === undefined || rendered.has(name)) continue;
    const statement = declarations.get(name);
    if (statement === undefined) throw new Error(`${fullPath} has no declaration ${name}`);
    const slim = slimStatement(statement, name);
    rendered.set(name, slim.text);
    queue.push(...slim.refs);
  }

  const imports = file.statements.filter((s) => ts.isImportDeclaration(s)).map((s) => s.getText());
  const body = file.statements
    .map((s) => declarationName(s))
    .flatMap((name) => (name !== undefined && rendered.has(name) ? [rendered.get(name) ?? ''] : []))
    .map((s) => s.replace(/\/\* eslint-(?:disable|enable) [^*]*\*\/\n?/g, '').replace(/^\n+/, ''))
    .join('\n\n');
  return [
    `// GENERATED by scripts/generate-argo-types.ts from ${fullPath}, cut to what src/ uses; do not edit by hand.`,
    `// Regenerate with \`npm run generate:argo-types\` after src/manifests uses another Argo field or type.`,
    ...imports,
    '',
    body,
    '',
  ].join('\n');
}

/** The slim modules, by path relative to `root`, generated from the full modules and src/ in `root`. */
export function generateSlimModules(root: string = ROOT): Map<string, string> {
  const options = compilerOptions(root);
  const host = ts.createCompilerHost(options, true);
  const served = new Map(MODULES.map((m) => [resolve(root, m.slim), resolve(root, m.full)]));
  const { getSourceFile, fileExists, readFile, directoryExists } = host;
  const servedDirs = new Set([...served.keys()].map((path) => dirname(path)));
  host.fileExists = (path) => served.has(resolve(path)) || fileExists.call(host, path);
  host.directoryExists = (path) => servedDirs.has(resolve(path)) || (directoryExists?.call(host, path) ?? true);
  host.readFile = (path) => readFile.call(host, served.get(resolve(path)) ?? path);
  host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
    const full = served.get(resolve(path));
    if (full === undefined) return getSourceFile.call(host, path, languageVersion, onError, shouldCreate);
    return ts.createSourceFile(path, readFileSync(full, 'utf8'), languageVersion, true);
  };
  const slimPaths = new Set(served.keys());
  // src/manifests and any file that imports a slim module (their imports come along). Compiling all of
  // src/ would find the same usage, more slowly.
  const slimNames = MODULES.map((m) => `/${basename(m.slim, '.ts')}.js'`);
  const manifests = resolve(root, 'src/manifests');
  const srcFiles = sourceFiles(join(root, 'src')).filter(
    (path) =>
      !slimPaths.has(resolve(path)) &&
      (resolve(path).startsWith(manifests) || slimNames.some((name) => readFileSync(path, 'utf8').includes(name))),
  );
  const program = ts.createProgram({ rootNames: srcFiles, options, host });

  const indexes = new Map<string, ModuleIndex>();
  for (const m of MODULES) {
    const file = program.getSourceFile(resolve(root, m.slim));
    if (file !== undefined) indexes.set(m.slim, indexModule(file));
  }
  const usage = collectUsage(program, new Set([...indexes.values()].map((i) => i.file)), srcFiles);
  const out = new Map<string, string>();
  for (const m of MODULES) {
    const index = indexes.get(m.slim);
    if (index === undefined) continue; // no src file imports this module
    out.set(m.slim, renderSlim(index, usage, m.full));
  }
  return out;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const modules = generateSlimModules();
  const stale = [...modules].filter(([path, text]) => {
    try {
      return readFileSync(join(ROOT, path), 'utf8') !== text;
    } catch {
      return true;
    }
  });
  if (process.argv.includes('--check')) {
    for (const [path] of stale) console.error(`${path} is out of date: run npm run generate:argo-types`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  for (const [path, text] of modules) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), text);
    console.log(`wrote ${relative(process.cwd(), join(ROOT, path))} (${text.length} characters)`);
  }
}
