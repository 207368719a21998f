// Compiles each handler module once, with esbuild, into `<service>/.local-cloud/build/`, as serverless-esbuild
// packages it for deploy: one CommonJS bundle per module (`.cjs`, so a `"type": "module"` project's package.json
// does not make Node read it as ESM), npm packages left as `require` calls, so
// node_modules, native ones included (sharp), load at run time from the service's folder exactly as in any Node
// process. Packages that resolve outside node_modules (this repository's workspaces, linked there by npm, whose
// entry points are TypeScript) are compiled into the bundle instead, as serverless-esbuild does on deploy. Source maps carry the sources, and sandboxes run with
// --enable-source-maps, so stack traces name the .ts lines. Each bundle's metafile lists its input files: hot
// reload watches those and rebuilds only the modules a change touches.
import { realpathSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { HandlerBuildError } from './errors';
import type { HandlerModule } from './handler-module';

export interface ModuleBundle {
  modulePath: string;
  sourceFile: string;
  /** The compiled module sandboxes load: `.cjs`, or `.mjs` for a module with top-level await. */
  outFile: string;
  /** CommonJS, unless the module awaits at its top level, which only an ES module can. */
  format: 'cjs' | 'esm';
  /** Absolute paths of the source files compiled into it (node_modules excluded: they stay external). */
  inputs: Set<string>;
  /** Set while the module's last rebuild failed; invocations then report it as the runtime would. */
  failure?: BuildFailure;
}

export interface BuildFailure {
  /** `import`: a relative import that leads nowhere (the runtime says Runtime.ImportModuleError); else syntax. */
  kind: 'syntax' | 'import';
  /** `src/handlers/hello.ts:3:7: Expected ";" but found "x"` */
  detail: string;
  /** For an import failure, the specifier that could not be resolved. */
  specifier?: string;
}

/** Gives an ES module bundle the `require` that the CommonJS code bundled into it calls. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __localCloudCreateRequire } from 'node:module'; const require = __localCloudCreateRequire(import.meta.url);";

function awaitsAtTopLevel(error: unknown): boolean {
  return (
    (error as Partial<esbuild.BuildFailure>).errors?.some((message) =>
      message.text.startsWith('Top-level await is currently not supported with the "cjs" output format'),
    ) === true
  );
}

/** esbuild's warnings for code that cannot run: `import * as express from 'express'; express()`. */
const CRASH_WARNINGS = new Set(['call-import-namespace', 'new-import-namespace']);
const NAMESPACE_IMPORT_FIX =
  "import the module's default export instead (`import express from 'express'`), as a bundler needs: a namespace object (`import * as`) cannot be called or constructed";

/** Leaves a bare import as `require` when it resolves into node_modules; bundles it otherwise (workspaces). */
const externalNodeModules: esbuild.Plugin = {
  name: 'external-node-modules',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      let resolved: string;
      try {
        resolved = realpathSync(require.resolve(args.path, { paths: [args.resolveDir] }));
      } catch {
        // Not resolvable from Node (a missing package or a built-in's subpath): keep it a `require`, so the
        // sandbox reports it as the runtime would, with Runtime.ImportModuleError.
        return { path: args.path, external: true };
      }
      return resolved.split(path.sep).includes('node_modules')
        ? { path: args.path, external: true }
        : undefined;
    });
  },
};

export class ModuleBundler {
  private readonly bundles = new Map<string, ModuleBundle>();
  private readonly contexts = new Map<string, esbuild.BuildContext<{ metafile: true; write: false }>>();
  private writes = 0;

  private constructor(
    private readonly servicePath: string,
    readonly buildDir: string,
    private readonly onWarning: (line: string) => void,
  ) {}

  /**
   * Builds every module. Throws HandlerBuildError naming the first module that does not compile, so a broken
   * service fails at startup with the file and line.
   */
  static async create(
    servicePath: string,
    buildDir: string,
    modules: { functionKey: string; module: HandlerModule }[],
    /** esbuild's warnings ("Calling "express" will crash at run-time"), one line each with file and line. */
    onWarning: (line: string) => void = () => {},
  ): Promise<ModuleBundler> {
    const bundler = new ModuleBundler(servicePath, buildDir, onWarning);
    const unique = [...new Map(modules.map((entry) => [entry.module.modulePath, entry])).values()];
    // allSettled, not all: every esbuild context must exist before dispose() can close them on a failure.
    const outcomes = await Promise.allSettled(unique.map(({ module }) => bundler.add(module)));
    const crashed = outcomes.find((outcome) => outcome.status === 'rejected');
    const broken = unique.find(({ module }) => bundler.bundles.get(module.modulePath)?.failure);
    if (crashed || broken) {
      await bundler.dispose();
      if (crashed) throw crashed.reason;
      const { functionKey, module } = broken!;
      const { detail } = bundler.bundle(module.modulePath).failure!;
      throw new HandlerBuildError(functionKey, bundler.relative(module.sourceFile), detail);
    }
    return bundler;
  }

  bundle(modulePath: string): ModuleBundle {
    const bundle = this.bundles.get(modulePath);
    if (!bundle)
      throw new Error(`No bundle for module ${modulePath}: it was not part of the service at startup.`);
    return bundle;
  }

  /** Every source file any bundle was built from: what hot reload watches. */
  inputFiles(): Set<string> {
    const files = new Set<string>();
    for (const bundle of this.bundles.values()) {
      for (const input of bundle.inputs) files.add(input);
      // A module that failed to build may not list its own entry any more; keep watching it.
      files.add(bundle.sourceFile);
    }
    return files;
  }

  /** Modules built from any of these files. */
  modulesUsing(files: Iterable<string>): string[] {
    const changed = new Set([...files].map((file) => path.resolve(file)));
    return [...this.bundles.values()]
      .filter(
        (bundle) => changed.has(bundle.sourceFile) || [...bundle.inputs].some((input) => changed.has(input)),
      )
      .map((bundle) => bundle.modulePath);
  }

  /** Rebuilds these modules; a failure is recorded on the bundle rather than thrown. */
  async rebuild(modulePaths: string[]): Promise<void> {
    await Promise.all(modulePaths.map((modulePath) => this.build(modulePath)));
  }

  /**
   * The names the module exports, when they are statically known (an ES module or TypeScript); undefined for
   * CommonJS, whose `module.exports` only running it reveals.
   */
  async staticExports(modulePaths: string[]): Promise<Map<string, string[] | undefined>> {
    const bundles = modulePaths.map((modulePath) => this.bundle(modulePath));
    const exports = new Map<string, string[] | undefined>();
    // Only a convenience: if the analysis fails, the runtime still reports a missing export when invoked.
    const result = await esbuild
      .build({
        ...this.commonOptions(),
        entryPoints: bundles.map((bundle) => bundle.sourceFile),
        outdir: path.join(this.buildDir, '.exports'),
        format: 'esm',
        sourcemap: false,
      })
      .catch(() => undefined);
    if (!result) return exports;
    for (const output of Object.values(result.metafile.outputs)) {
      if (!output.entryPoint) continue;
      const entry = path.resolve(this.servicePath, output.entryPoint);
      const bundle = bundles.find((candidate) => candidate.sourceFile === entry);
      if (!bundle) continue;
      const format = result.metafile.inputs[output.entryPoint]?.format;
      exports.set(bundle.modulePath, format === 'esm' ? output.exports : undefined);
    }
    return exports;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.contexts.values()].map((context) => context.dispose()));
    this.contexts.clear();
  }

  relative(file: string): string {
    return path.relative(this.servicePath, file) || file;
  }

  private async add(module: HandlerModule): Promise<void> {
    const outFile = path.join(this.buildDir, `${module.modulePath}.cjs`);
    this.bundles.set(module.modulePath, {
      modulePath: module.modulePath,
      sourceFile: module.sourceFile,
      outFile,
      format: 'cjs',
      inputs: new Set([module.sourceFile]),
    });
    this.contexts.set(
      module.modulePath,
      await esbuild.context({ ...this.commonOptions(), entryPoints: [module.sourceFile], outfile: outFile }),
    );
    await this.build(module.modulePath);
  }

  private async build(modulePath: string): Promise<void> {
    const bundle = this.bundle(modulePath);
    const context = this.contexts.get(modulePath);
    if (!context) return;
    try {
      const result = await context.rebuild();
      // A namespace import called or constructed crashes at run time, in this bundle as in the one deployed:
      // a build failure here, with the fix. Other warnings are logged once per build.
      const crash = result.warnings.find((warning) => CRASH_WARNINGS.has(warning.id));
      if (crash) {
        bundle.failure = {
          kind: 'syntax',
          detail: `${describeMessage(crash)}. Fix: ${NAMESPACE_IMPORT_FIX}`,
        };
        return;
      }
      for (const warning of result.warnings) this.onWarning(describeMessage(warning));
      await this.writeAtomically(result.outputFiles);
      bundle.inputs = new Set(
        Object.keys(result.metafile.inputs)
          .filter((input) => !input.startsWith('<') && !input.includes('(disabled)'))
          .map((input) => path.resolve(this.servicePath, input)),
      );
      delete bundle.failure;
    } catch (error) {
      if (bundle.format === 'cjs' && awaitsAtTopLevel(error)) {
        await this.switchToEsm(bundle, context);
        return this.build(modulePath);
      }
      bundle.failure = this.describeFailure(error);
    }
  }

  /**
   * Top-level await exists only in ES modules: such a module is bundled as one (`.mjs`, with a `require` for
   * the CommonJS packages it uses), and sandboxes import() it, as Lambda imports an .mjs handler.
   */
  private async switchToEsm(
    bundle: ModuleBundle,
    previous: esbuild.BuildContext<{ metafile: true; write: false }>,
  ): Promise<void> {
    await previous.dispose();
    bundle.format = 'esm';
    bundle.outFile = path.join(this.buildDir, `${bundle.modulePath}.mjs`);
    this.contexts.set(
      bundle.modulePath,
      await esbuild.context({
        ...this.commonOptions(),
        format: 'esm',
        banner: { js: ESM_REQUIRE_BANNER },
        entryPoints: [bundle.sourceFile],
        outfile: bundle.outFile,
      }),
    );
  }

  /**
   * Sandboxes may be starting while a rebuild writes: each file is written beside its target and renamed over
   * it, so a require never reads half a file. The map goes first, so a new bundle never points at an old map.
   */
  private async writeAtomically(files: esbuild.OutputFile[]): Promise<void> {
    const ordered = [...files].sort(
      (a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')),
    );
    for (const file of ordered) {
      await mkdir(path.dirname(file.path), { recursive: true });
      const temporary = `${file.path}.${process.pid}.${(this.writes += 1)}.tmp`;
      await writeFile(temporary, file.contents);
      await rename(temporary, file.path);
    }
  }

  private describeFailure(error: unknown): BuildFailure {
    const first = (error as Partial<esbuild.BuildFailure>).errors?.[0];
    if (!first) return { kind: 'syntax', detail: error instanceof Error ? error.message : String(error) };
    const unresolved = /^Could not resolve "([^"]+)"/.exec(first.text);
    return unresolved
      ? { kind: 'import', detail: describeMessage(first), specifier: unresolved[1] }
      : { kind: 'syntax', detail: describeMessage(first) };
  }

  private commonOptions() {
    const plugins: esbuild.Plugin[] = [externalNodeModules];
    return {
      absWorkingDir: this.servicePath,
      bundle: true,
      platform: 'node',
      // The oldest Node.js a runtime Lambda accepts runs (nodejs22.x): the bundle runs on either.
      target: 'node22',
      format: 'cjs',
      plugins,
      sourcemap: 'linked',
      sourcesContent: true,
      // Class and function names survive bundling, so err.name (a function error's errorType) is the source's.
      keepNames: true,
      metafile: true,
      write: false,
      logLevel: 'silent',
    } as const;
  }
}

/** `src/handlers/hello.ts:3:7: Expected ";" but found "x"`. */
function describeMessage(message: esbuild.Message): string {
  const where = message.location
    ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: `
    : '';
  return `${where}${message.text}`;
}
