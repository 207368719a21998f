import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A compiler message at a place in a file (absolute path; line and column 1-based). */
export interface RawDiagnostic {
  file?: string;
  line: number;
  column: number;
  message: string;
  code: number;
  kind: 'syntax' | 'type';
}

interface Project {
  configFile: string;
  options: ts.CompilerOptions;
  fileNames: string[];
  errors: RawDiagnostic[];
}

/** Builder programs kept between checks; each holds its own copy of the checked types, so only a few. */
const MAX_KEPT_PROGRAMS = 6;

/**
 * TypeScript on a lab, kept warm between checks (watch mode makes one per session). Library declarations
 * (node_modules, TypeScript's lib) are parsed once; the lab's own files again only when their text changed;
 * and the semantic check reuses the last program's results for files a change cannot have affected. Between
 * processes (one `course check` after another) that last part comes from a .tsbuildinfo file in `cacheDir`.
 */
export class TypeChecker {
  private readonly hosts = new Map<string, ts.CompilerHost>();
  private readonly programs = new Map<string, ts.EmitAndSemanticDiagnosticsBuilderProgram>();

  constructor(private readonly cacheDir: string) {}

  /**
   * Parse errors only, from the lab's TypeScript files alone (no libraries, no imports followed): tens of
   * milliseconds, so a syntax error is reported before anything else has started.
   */
  syntaxErrors(labDir: string): RawDiagnostic[] {
    const projects = findProjects(labDir);
    const files = [...new Set(projects.flatMap((project) => project.fileNames))];
    const program = ts.createProgram(files, { noResolve: true, noLib: true, types: [], noEmit: true });
    return [
      ...projects.flatMap((project) => project.errors),
      ...program.getSyntacticDiagnostics().map((diagnostic) => toRaw(diagnostic, 'syntax')),
    ];
  }

  /**
   * Every error TypeScript finds in `roots` (absolute paths) and what they import, each in the project
   * (tsconfig.json) that includes it; every file of every project when `roots` is absent. A file with a syntax
   * error gets only those: the type errors that follow from one are noise.
   */
  typeErrors(labDir: string, roots?: string[]): RawDiagnostic[] {
    const errors: RawDiagnostic[] = [];
    for (const project of findProjects(labDir)) {
      errors.push(...project.errors);
      const included = new Set(project.fileNames);
      const rootNames = roots ? roots.filter((file) => included.has(file)) : project.fileNames;
      if (rootNames.length === 0) continue;
      const program = this.program(project, rootNames);
      const syntax = program.getSyntacticDiagnostics();
      if (syntax.length > 0) {
        errors.push(...syntax.map((diagnostic) => toRaw(diagnostic, 'syntax')));
        continue;
      }
      const semantic = [
        ...program.getOptionsDiagnostics(),
        ...program.getGlobalDiagnostics(),
        ...program.getSemanticDiagnostics(),
      ];
      errors.push(...semantic.map((diagnostic) => toRaw(diagnostic, 'type')));
      // With noEmit, emit writes only the .tsbuildinfo: the next process starts from these results.
      program.emit();
    }
    return errors.filter((error) => error.file === undefined || !error.file.includes('/node_modules/'));
  }

  private program(project: Project, rootNames: string[]): ts.EmitAndSemanticDiagnosticsBuilderProgram {
    const key = `${project.configFile}\n${[...rootNames].sort().join('\n')}`;
    const name = `${path.basename(path.dirname(project.configFile))}-${hash(key)}.tsbuildinfo`;
    const options: ts.CompilerOptions = {
      ...project.options,
      noEmit: true,
      incremental: true,
      tsBuildInfoFile: path.join(this.cacheDir, name),
    };
    const host = this.hostFor(project.configFile, options);
    const old = this.programs.get(key) ?? ts.readBuilderProgram(options, host);
    const program = ts.createEmitAndSemanticDiagnosticsBuilderProgram(rootNames, options, host, old);
    this.programs.delete(key);
    this.programs.set(key, program);
    if (this.programs.size > MAX_KEPT_PROGRAMS) this.programs.delete(this.programs.keys().next().value!);
    return program;
  }

  /** A compiler host that keeps parsed files: libraries for good, the lab's files until their text changes. */
  private hostFor(configFile: string, options: ts.CompilerOptions): ts.CompilerHost {
    const known = this.hosts.get(configFile);
    if (known) return known;
    fs.mkdirSync(this.cacheDir, { recursive: true });
    const host = ts.createIncrementalCompilerHost(options);
    const parse = host.getSourceFile.bind(host);
    const parsed = new Map<string, ts.SourceFile>();
    const libraryDir = path.dirname(ts.getDefaultLibFilePath(options));
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const key = `${fileName}\n${JSON.stringify(languageVersion)}`;
      const cached = parsed.get(key);
      const isLibrary = fileName.includes('/node_modules/') || fileName.startsWith(libraryDir);
      if (cached && (isLibrary || host.readFile(fileName) === cached.text)) return cached;
      const file = parse(fileName, languageVersion, onError, shouldCreate);
      if (file) parsed.set(key, file);
      else parsed.delete(key);
      return file;
    };
    this.hosts.set(configFile, host);
    return host;
  }
}

/** The lab's tsconfig.json and those one folder down (a web app with its own settings). */
function findProjects(labDir: string): Project[] {
  const candidates = [
    path.join(labDir, 'tsconfig.json'),
    ...fs
      .readdirSync(labDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
      .map((entry) => path.join(labDir, entry.name, 'tsconfig.json')),
  ].filter((file) => fs.existsSync(file));
  return candidates.map((configFile) => {
    const errors: RawDiagnostic[] = [];
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configFile,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) =>
          errors.push(toRaw(diagnostic, 'type', configFile)),
      },
    );
    return {
      configFile,
      options: parsed?.options ?? {},
      fileNames: (parsed?.fileNames ?? [])
        .filter((file) => /\.[cm]?tsx?$/.test(file))
        .map((file) => path.normalize(file)),
      errors: [
        ...errors,
        ...(parsed?.errors ?? []).map((diagnostic) => toRaw(diagnostic, 'type', configFile)),
      ],
    };
  });
}

function toRaw(diagnostic: ts.Diagnostic, kind: RawDiagnostic['kind'], fallbackFile?: string): RawDiagnostic {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const file = diagnostic.file?.fileName ?? fallbackFile;
  if (!diagnostic.file || diagnostic.start === undefined) {
    return {
      ...(file && { file: path.normalize(file) }),
      line: 1,
      column: 1,
      message,
      code: diagnostic.code,
      kind,
    };
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return {
    file: path.normalize(diagnostic.file.fileName),
    line: line + 1,
    column: character + 1,
    message,
    code: diagnostic.code,
    kind,
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
