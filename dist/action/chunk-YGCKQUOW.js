import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);
import {
  ALMALINUX_LOOKASIDE,
  DEFAULT_LIMITS,
  FEDORA_LOOKASIDE,
  REPO_NAME,
  buildPlan,
  lookasideUrl,
  macroProblem,
  readConfig
} from "./chunk-EBV2RSXI.js";
import {
  keyEnv
} from "./chunk-EA7JEXJP.js";
import {
  CliError,
  EVENT_KINDS,
  EXIT,
  PLAN_VERSION
} from "./chunk-VUV5CFER.js";
import {
  HEADER_TAG,
  TAG_TYPE,
  entryString,
  findEntry,
  readRpmPackage
} from "./chunk-ZQUDN2TT.js";
import {
  KEY_ENV
} from "./chunk-PMF7ABEB.js";
import {
  RpmFormatError,
  SigningKeyError,
  writeFileAtomically
} from "./chunk-H2ZUATAW.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-FXWFLUK2.js";

// node_modules/isexe/windows.js
var require_windows = __commonJS({
  "node_modules/isexe/windows.js"(exports, module) {
    module.exports = isexe;
    isexe.sync = sync;
    var fs = __require("fs");
    function checkPathExt(path6, options) {
      var pathext = options.pathExt !== void 0 ? options.pathExt : process.env.PATHEXT;
      if (!pathext) {
        return true;
      }
      pathext = pathext.split(";");
      if (pathext.indexOf("") !== -1) {
        return true;
      }
      for (var i2 = 0; i2 < pathext.length; i2++) {
        var p = pathext[i2].toLowerCase();
        if (p && path6.substr(-p.length).toLowerCase() === p) {
          return true;
        }
      }
      return false;
    }
    function checkStat(stat5, path6, options) {
      if (!stat5.isSymbolicLink() && !stat5.isFile()) {
        return false;
      }
      return checkPathExt(path6, options);
    }
    function isexe(path6, options, cb) {
      fs.stat(path6, function(er, stat5) {
        cb(er, er ? false : checkStat(stat5, path6, options));
      });
    }
    function sync(path6, options) {
      return checkStat(fs.statSync(path6), path6, options);
    }
  }
});

// node_modules/isexe/mode.js
var require_mode = __commonJS({
  "node_modules/isexe/mode.js"(exports, module) {
    module.exports = isexe;
    isexe.sync = sync;
    var fs = __require("fs");
    function isexe(path6, options, cb) {
      fs.stat(path6, function(er, stat5) {
        cb(er, er ? false : checkStat(stat5, options));
      });
    }
    function sync(path6, options) {
      return checkStat(fs.statSync(path6), options);
    }
    function checkStat(stat5, options) {
      return stat5.isFile() && checkMode(stat5, options);
    }
    function checkMode(stat5, options) {
      var mod = stat5.mode;
      var uid = stat5.uid;
      var gid = stat5.gid;
      var myUid = options.uid !== void 0 ? options.uid : process.getuid && process.getuid();
      var myGid = options.gid !== void 0 ? options.gid : process.getgid && process.getgid();
      var u2 = parseInt("100", 8);
      var g = parseInt("010", 8);
      var o2 = parseInt("001", 8);
      var ug = u2 | g;
      var ret = mod & o2 || mod & g && gid === myGid || mod & u2 && uid === myUid || mod & ug && myUid === 0;
      return ret;
    }
  }
});

// node_modules/isexe/index.js
var require_isexe = __commonJS({
  "node_modules/isexe/index.js"(exports, module) {
    var fs = __require("fs");
    var core;
    if (process.platform === "win32" || global.TESTING_WINDOWS) {
      core = require_windows();
    } else {
      core = require_mode();
    }
    module.exports = isexe;
    isexe.sync = sync;
    function isexe(path6, options, cb) {
      if (typeof options === "function") {
        cb = options;
        options = {};
      }
      if (!cb) {
        if (typeof Promise !== "function") {
          throw new TypeError("callback not provided");
        }
        return new Promise(function(resolve12, reject) {
          isexe(path6, options || {}, function(er, is) {
            if (er) {
              reject(er);
            } else {
              resolve12(is);
            }
          });
        });
      }
      core(path6, options || {}, function(er, is) {
        if (er) {
          if (er.code === "EACCES" || options && options.ignoreErrors) {
            er = null;
            is = false;
          }
        }
        cb(er, is);
      });
    }
    function sync(path6, options) {
      try {
        return core.sync(path6, options || {});
      } catch (er) {
        if (options && options.ignoreErrors || er.code === "EACCES") {
          return false;
        } else {
          throw er;
        }
      }
    }
  }
});

// node_modules/which/which.js
var require_which = __commonJS({
  "node_modules/which/which.js"(exports, module) {
    var isWindows = process.platform === "win32" || process.env.OSTYPE === "cygwin" || process.env.OSTYPE === "msys";
    var path6 = __require("path");
    var COLON = isWindows ? ";" : ":";
    var isexe = require_isexe();
    var getNotFoundError = (cmd) => Object.assign(new Error(`not found: ${cmd}`), { code: "ENOENT" });
    var getPathInfo = (cmd, opt) => {
      const colon = opt.colon || COLON;
      const pathEnv = cmd.match(/\//) || isWindows && cmd.match(/\\/) ? [""] : [
        // windows always checks the cwd first
        ...isWindows ? [process.cwd()] : [],
        ...(opt.path || process.env.PATH || /* istanbul ignore next: very unusual */
        "").split(colon)
      ];
      const pathExtExe = isWindows ? opt.pathExt || process.env.PATHEXT || ".EXE;.CMD;.BAT;.COM" : "";
      const pathExt = isWindows ? pathExtExe.split(colon) : [""];
      if (isWindows) {
        if (cmd.indexOf(".") !== -1 && pathExt[0] !== "")
          pathExt.unshift("");
      }
      return {
        pathEnv,
        pathExt,
        pathExtExe
      };
    };
    var which = (cmd, opt, cb) => {
      if (typeof opt === "function") {
        cb = opt;
        opt = {};
      }
      if (!opt)
        opt = {};
      const { pathEnv, pathExt, pathExtExe } = getPathInfo(cmd, opt);
      const found = [];
      const step = (i2) => new Promise((resolve12, reject) => {
        if (i2 === pathEnv.length)
          return opt.all && found.length ? resolve12(found) : reject(getNotFoundError(cmd));
        const ppRaw = pathEnv[i2];
        const pathPart = /^".*"$/.test(ppRaw) ? ppRaw.slice(1, -1) : ppRaw;
        const pCmd = path6.join(pathPart, cmd);
        const p = !pathPart && /^\.[\\\/]/.test(cmd) ? cmd.slice(0, 2) + pCmd : pCmd;
        resolve12(subStep(p, i2, 0));
      });
      const subStep = (p, i2, ii) => new Promise((resolve12, reject) => {
        if (ii === pathExt.length)
          return resolve12(step(i2 + 1));
        const ext = pathExt[ii];
        isexe(p + ext, { pathExt: pathExtExe }, (er, is) => {
          if (!er && is) {
            if (opt.all)
              found.push(p + ext);
            else
              return resolve12(p + ext);
          }
          return resolve12(subStep(p, i2, ii + 1));
        });
      });
      return cb ? step(0).then((res) => cb(null, res), cb) : step(0);
    };
    var whichSync = (cmd, opt) => {
      opt = opt || {};
      const { pathEnv, pathExt, pathExtExe } = getPathInfo(cmd, opt);
      const found = [];
      for (let i2 = 0; i2 < pathEnv.length; i2++) {
        const ppRaw = pathEnv[i2];
        const pathPart = /^".*"$/.test(ppRaw) ? ppRaw.slice(1, -1) : ppRaw;
        const pCmd = path6.join(pathPart, cmd);
        const p = !pathPart && /^\.[\\\/]/.test(cmd) ? cmd.slice(0, 2) + pCmd : pCmd;
        for (let j = 0; j < pathExt.length; j++) {
          const cur = p + pathExt[j];
          try {
            const is = isexe.sync(cur, { pathExt: pathExtExe });
            if (is) {
              if (opt.all)
                found.push(cur);
              else
                return cur;
            }
          } catch (ex) {
          }
        }
      }
      if (opt.all && found.length)
        return found;
      if (opt.nothrow)
        return null;
      throw getNotFoundError(cmd);
    };
    module.exports = which;
    which.sync = whichSync;
  }
});

// node_modules/path-key/index.js
var require_path_key = __commonJS({
  "node_modules/path-key/index.js"(exports, module) {
    "use strict";
    var pathKey2 = (options = {}) => {
      const environment = options.env || process.env;
      const platform2 = options.platform || process.platform;
      if (platform2 !== "win32") {
        return "PATH";
      }
      return Object.keys(environment).reverse().find((key) => key.toUpperCase() === "PATH") || "Path";
    };
    module.exports = pathKey2;
    module.exports.default = pathKey2;
  }
});

// node_modules/cross-spawn/lib/util/resolveCommand.js
var require_resolveCommand = __commonJS({
  "node_modules/cross-spawn/lib/util/resolveCommand.js"(exports, module) {
    "use strict";
    var path6 = __require("path");
    var which = require_which();
    var getPathKey = require_path_key();
    function resolveCommandAttempt(parsed, withoutPathExt) {
      const env = parsed.options.env || process.env;
      const cwd = process.cwd();
      const hasCustomCwd = parsed.options.cwd != null;
      const shouldSwitchCwd = hasCustomCwd && process.chdir !== void 0 && !process.chdir.disabled;
      if (shouldSwitchCwd) {
        try {
          process.chdir(parsed.options.cwd);
        } catch (err) {
        }
      }
      let resolved;
      try {
        resolved = which.sync(parsed.command, {
          path: env[getPathKey({ env })],
          pathExt: withoutPathExt ? path6.delimiter : void 0
        });
      } catch (e) {
      } finally {
        if (shouldSwitchCwd) {
          process.chdir(cwd);
        }
      }
      if (resolved) {
        resolved = path6.resolve(hasCustomCwd ? parsed.options.cwd : "", resolved);
      }
      return resolved;
    }
    function resolveCommand(parsed) {
      return resolveCommandAttempt(parsed) || resolveCommandAttempt(parsed, true);
    }
    module.exports = resolveCommand;
  }
});

// node_modules/cross-spawn/lib/util/escape.js
var require_escape = __commonJS({
  "node_modules/cross-spawn/lib/util/escape.js"(exports, module) {
    "use strict";
    var metaCharsRegExp = /([()\][%!^"`<>&|;, *?])/g;
    function escapeCommand(arg) {
      arg = arg.replace(metaCharsRegExp, "^$1");
      return arg;
    }
    function escapeArgument(arg, doubleEscapeMetaChars) {
      arg = `${arg}`;
      arg = arg.replace(/(?=(\\+?)?)\1"/g, '$1$1\\"');
      arg = arg.replace(/(?=(\\+?)?)\1$/, "$1$1");
      arg = `"${arg}"`;
      arg = arg.replace(metaCharsRegExp, "^$1");
      if (doubleEscapeMetaChars) {
        arg = arg.replace(metaCharsRegExp, "^$1");
      }
      return arg;
    }
    module.exports.command = escapeCommand;
    module.exports.argument = escapeArgument;
  }
});

// node_modules/shebang-regex/index.js
var require_shebang_regex = __commonJS({
  "node_modules/shebang-regex/index.js"(exports, module) {
    "use strict";
    module.exports = /^#!(.*)/;
  }
});

// node_modules/shebang-command/index.js
var require_shebang_command = __commonJS({
  "node_modules/shebang-command/index.js"(exports, module) {
    "use strict";
    var shebangRegex = require_shebang_regex();
    module.exports = (string = "") => {
      const match = string.match(shebangRegex);
      if (!match) {
        return null;
      }
      const [path6, argument] = match[0].replace(/#! ?/, "").split(" ");
      const binary = path6.split("/").pop();
      if (binary === "env") {
        return argument;
      }
      return argument ? `${binary} ${argument}` : binary;
    };
  }
});

// node_modules/cross-spawn/lib/util/readShebang.js
var require_readShebang = __commonJS({
  "node_modules/cross-spawn/lib/util/readShebang.js"(exports, module) {
    "use strict";
    var fs = __require("fs");
    var shebangCommand = require_shebang_command();
    function readShebang(command) {
      const size = 150;
      const buffer = Buffer.alloc(size);
      let fd;
      try {
        fd = fs.openSync(command, "r");
        fs.readSync(fd, buffer, 0, size, 0);
        fs.closeSync(fd);
      } catch (e) {
      }
      return shebangCommand(buffer.toString());
    }
    module.exports = readShebang;
  }
});

// node_modules/cross-spawn/lib/parse.js
var require_parse = __commonJS({
  "node_modules/cross-spawn/lib/parse.js"(exports, module) {
    "use strict";
    var path6 = __require("path");
    var resolveCommand = require_resolveCommand();
    var escape = require_escape();
    var readShebang = require_readShebang();
    var isWin = process.platform === "win32";
    var isExecutableRegExp = /\.(?:com|exe)$/i;
    var isCmdShimRegExp = /node_modules[\\/].bin[\\/][^\\/]+\.cmd$/i;
    function detectShebang(parsed) {
      parsed.file = resolveCommand(parsed);
      const shebang = parsed.file && readShebang(parsed.file);
      if (shebang) {
        parsed.args.unshift(parsed.file);
        parsed.command = shebang;
        return resolveCommand(parsed);
      }
      return parsed.file;
    }
    function parseNonShell(parsed) {
      if (!isWin) {
        return parsed;
      }
      const commandFile = detectShebang(parsed);
      const needsShell = !isExecutableRegExp.test(commandFile);
      if (parsed.options.forceShell || needsShell) {
        const needsDoubleEscapeMetaChars = isCmdShimRegExp.test(commandFile);
        parsed.command = path6.normalize(parsed.command);
        parsed.command = escape.command(parsed.command);
        parsed.args = parsed.args.map((arg) => escape.argument(arg, needsDoubleEscapeMetaChars));
        const shellCommand = [parsed.command].concat(parsed.args).join(" ");
        parsed.args = ["/d", "/s", "/c", `"${shellCommand}"`];
        parsed.command = process.env.comspec || "cmd.exe";
        parsed.options.windowsVerbatimArguments = true;
      }
      return parsed;
    }
    function parse(command, args, options) {
      if (args && !Array.isArray(args)) {
        options = args;
        args = null;
      }
      args = args ? args.slice(0) : [];
      options = Object.assign({}, options);
      const parsed = {
        command,
        args,
        options,
        file: void 0,
        original: {
          command,
          args
        }
      };
      return options.shell ? parsed : parseNonShell(parsed);
    }
    module.exports = parse;
  }
});

// node_modules/cross-spawn/lib/enoent.js
var require_enoent = __commonJS({
  "node_modules/cross-spawn/lib/enoent.js"(exports, module) {
    "use strict";
    var isWin = process.platform === "win32";
    function notFoundError(original, syscall) {
      return Object.assign(new Error(`${syscall} ${original.command} ENOENT`), {
        code: "ENOENT",
        errno: "ENOENT",
        syscall: `${syscall} ${original.command}`,
        path: original.command,
        spawnargs: original.args
      });
    }
    function hookChildProcess(cp2, parsed) {
      if (!isWin) {
        return;
      }
      const originalEmit = cp2.emit;
      cp2.emit = function(name, arg1) {
        if (name === "exit") {
          const err = verifyENOENT(arg1, parsed);
          if (err) {
            return originalEmit.call(cp2, "error", err);
          }
        }
        return originalEmit.apply(cp2, arguments);
      };
    }
    function verifyENOENT(status2, parsed) {
      if (isWin && status2 === 1 && !parsed.file) {
        return notFoundError(parsed.original, "spawn");
      }
      return null;
    }
    function verifyENOENTSync(status2, parsed) {
      if (isWin && status2 === 1 && !parsed.file) {
        return notFoundError(parsed.original, "spawnSync");
      }
      return null;
    }
    module.exports = {
      hookChildProcess,
      verifyENOENT,
      verifyENOENTSync,
      notFoundError
    };
  }
});

// node_modules/cross-spawn/index.js
var require_cross_spawn = __commonJS({
  "node_modules/cross-spawn/index.js"(exports, module) {
    "use strict";
    var cp2 = __require("child_process");
    var parse = require_parse();
    var enoent = require_enoent();
    function spawn2(command, args, options) {
      const parsed = parse(command, args, options);
      const spawned = cp2.spawn(parsed.command, parsed.args, parsed.options);
      enoent.hookChildProcess(spawned, parsed);
      return spawned;
    }
    function spawnSync2(command, args, options) {
      const parsed = parse(command, args, options);
      const result = cp2.spawnSync(parsed.command, parsed.args, parsed.options);
      result.error = result.error || enoent.verifyENOENTSync(result.status, parsed);
      return result;
    }
    module.exports = spawn2;
    module.exports.spawn = spawn2;
    module.exports.sync = spawnSync2;
    module.exports._parse = parse;
    module.exports._enoent = enoent;
  }
});

// node_modules/pino-std-serializers/lib/err-helpers.js
var require_err_helpers = __commonJS({
  "node_modules/pino-std-serializers/lib/err-helpers.js"(exports, module) {
    "use strict";
    var isErrorLike = (err) => {
      return err && typeof err.message === "string";
    };
    var getErrorCause = (err) => {
      if (!err) return;
      const cause = err.cause;
      if (typeof cause === "function") {
        const causeResult = err.cause();
        return isErrorLike(causeResult) ? causeResult : void 0;
      } else {
        return isErrorLike(cause) ? cause : void 0;
      }
    };
    var _stackWithCauses = (err, seen) => {
      if (!isErrorLike(err)) return "";
      const stack = err.stack || "";
      if (seen.has(err)) {
        return stack + "\ncauses have become circular...";
      }
      const cause = getErrorCause(err);
      if (cause) {
        seen.add(err);
        return stack + "\ncaused by: " + _stackWithCauses(cause, seen);
      } else {
        return stack;
      }
    };
    var stackWithCauses = (err) => _stackWithCauses(err, /* @__PURE__ */ new Set());
    var _messageWithCauses = (err, seen, skip) => {
      if (!isErrorLike(err)) return "";
      const message = skip ? "" : err.message || "";
      if (seen.has(err)) {
        return message + ": ...";
      }
      const cause = getErrorCause(err);
      if (cause) {
        seen.add(err);
        const skipIfVErrorStyleCause = typeof err.cause === "function";
        return message + (skipIfVErrorStyleCause ? "" : ": ") + _messageWithCauses(cause, seen, skipIfVErrorStyleCause);
      } else {
        return message;
      }
    };
    var messageWithCauses = (err) => _messageWithCauses(err, /* @__PURE__ */ new Set());
    module.exports = {
      isErrorLike,
      getErrorCause,
      stackWithCauses,
      messageWithCauses
    };
  }
});

// node_modules/pino-std-serializers/lib/err-proto.js
var require_err_proto = __commonJS({
  "node_modules/pino-std-serializers/lib/err-proto.js"(exports, module) {
    "use strict";
    var seen = /* @__PURE__ */ Symbol("circular-ref-tag");
    var rawSymbol = /* @__PURE__ */ Symbol("pino-raw-err-ref");
    var pinoErrProto = Object.create({}, {
      type: {
        enumerable: true,
        writable: true,
        value: void 0
      },
      message: {
        enumerable: true,
        writable: true,
        value: void 0
      },
      stack: {
        enumerable: true,
        writable: true,
        value: void 0
      },
      aggregateErrors: {
        enumerable: true,
        writable: true,
        value: void 0
      },
      raw: {
        enumerable: false,
        get: function() {
          return this[rawSymbol];
        },
        set: function(val) {
          this[rawSymbol] = val;
        }
      }
    });
    Object.defineProperty(pinoErrProto, rawSymbol, {
      writable: true,
      value: {}
    });
    module.exports = {
      pinoErrProto,
      pinoErrorSymbols: {
        seen,
        rawSymbol
      }
    };
  }
});

// node_modules/pino-std-serializers/lib/err.js
var require_err = __commonJS({
  "node_modules/pino-std-serializers/lib/err.js"(exports, module) {
    "use strict";
    module.exports = errSerializer;
    var { messageWithCauses, stackWithCauses, isErrorLike } = require_err_helpers();
    var { pinoErrProto, pinoErrorSymbols } = require_err_proto();
    var { seen } = pinoErrorSymbols;
    var { toString: toString2 } = Object.prototype;
    function errSerializer(err) {
      if (!isErrorLike(err)) {
        return err;
      }
      err[seen] = void 0;
      const _err = Object.create(pinoErrProto);
      _err.type = toString2.call(err.constructor) === "[object Function]" ? err.constructor.name : err.name;
      _err.message = messageWithCauses(err);
      _err.stack = stackWithCauses(err);
      if (Array.isArray(err.errors)) {
        _err.aggregateErrors = err.errors.map((err2) => errSerializer(err2));
      }
      for (const key in err) {
        if (_err[key] === void 0) {
          const val = err[key];
          if (isErrorLike(val)) {
            if (key !== "cause" && !Object.prototype.hasOwnProperty.call(val, seen)) {
              _err[key] = errSerializer(val);
            }
          } else {
            _err[key] = val;
          }
        }
      }
      delete err[seen];
      _err.raw = err;
      return _err;
    }
  }
});

// node_modules/pino-std-serializers/lib/err-with-cause.js
var require_err_with_cause = __commonJS({
  "node_modules/pino-std-serializers/lib/err-with-cause.js"(exports, module) {
    "use strict";
    module.exports = errWithCauseSerializer;
    var { isErrorLike } = require_err_helpers();
    var { pinoErrProto, pinoErrorSymbols } = require_err_proto();
    var { seen } = pinoErrorSymbols;
    var { toString: toString2 } = Object.prototype;
    function errWithCauseSerializer(err) {
      if (!isErrorLike(err)) {
        return err;
      }
      err[seen] = void 0;
      const _err = Object.create(pinoErrProto);
      _err.type = toString2.call(err.constructor) === "[object Function]" ? err.constructor.name : err.name;
      _err.message = err.message;
      _err.stack = err.stack;
      if (Array.isArray(err.errors)) {
        _err.aggregateErrors = err.errors.map((err2) => errWithCauseSerializer(err2));
      }
      if (isErrorLike(err.cause) && !Object.prototype.hasOwnProperty.call(err.cause, seen)) {
        _err.cause = errWithCauseSerializer(err.cause);
      }
      for (const key in err) {
        if (_err[key] === void 0) {
          const val = err[key];
          if (isErrorLike(val)) {
            if (!Object.prototype.hasOwnProperty.call(val, seen)) {
              _err[key] = errWithCauseSerializer(val);
            }
          } else {
            _err[key] = val;
          }
        }
      }
      delete err[seen];
      _err.raw = err;
      return _err;
    }
  }
});

// node_modules/pino-std-serializers/lib/req.js
var require_req = __commonJS({
  "node_modules/pino-std-serializers/lib/req.js"(exports, module) {
    "use strict";
    module.exports = {
      mapHttpRequest,
      reqSerializer
    };
    var rawSymbol = /* @__PURE__ */ Symbol("pino-raw-req-ref");
    var pinoReqProto = Object.create({}, {
      id: {
        enumerable: true,
        writable: true,
        value: ""
      },
      method: {
        enumerable: true,
        writable: true,
        value: ""
      },
      url: {
        enumerable: true,
        writable: true,
        value: ""
      },
      query: {
        enumerable: true,
        writable: true,
        value: ""
      },
      params: {
        enumerable: true,
        writable: true,
        value: ""
      },
      headers: {
        enumerable: true,
        writable: true,
        value: {}
      },
      remoteAddress: {
        enumerable: true,
        writable: true,
        value: ""
      },
      remotePort: {
        enumerable: true,
        writable: true,
        value: ""
      },
      raw: {
        enumerable: false,
        get: function() {
          return this[rawSymbol];
        },
        set: function(val) {
          this[rawSymbol] = val;
        }
      }
    });
    Object.defineProperty(pinoReqProto, rawSymbol, {
      writable: true,
      value: {}
    });
    function reqSerializer(req) {
      const connection = req.info || req.socket;
      const _req = Object.create(pinoReqProto);
      _req.id = typeof req.id === "function" ? req.id() : req.id || (req.info ? req.info.id : void 0);
      _req.method = req.method;
      if (req.originalUrl) {
        _req.url = req.originalUrl;
      } else {
        const path6 = req.path;
        _req.url = typeof path6 === "string" ? path6 : req.url ? req.url.path || req.url : void 0;
      }
      if (req.query) {
        _req.query = req.query;
      }
      if (req.params) {
        _req.params = req.params;
      }
      _req.headers = req.headers;
      _req.remoteAddress = connection && connection.remoteAddress;
      _req.remotePort = connection && connection.remotePort;
      _req.raw = req.raw || req;
      return _req;
    }
    function mapHttpRequest(req) {
      return {
        req: reqSerializer(req)
      };
    }
  }
});

// node_modules/pino-std-serializers/lib/res.js
var require_res = __commonJS({
  "node_modules/pino-std-serializers/lib/res.js"(exports, module) {
    "use strict";
    module.exports = {
      mapHttpResponse,
      resSerializer
    };
    var rawSymbol = /* @__PURE__ */ Symbol("pino-raw-res-ref");
    var pinoResProto = Object.create({}, {
      statusCode: {
        enumerable: true,
        writable: true,
        value: 0
      },
      headers: {
        enumerable: true,
        writable: true,
        value: ""
      },
      raw: {
        enumerable: false,
        get: function() {
          return this[rawSymbol];
        },
        set: function(val) {
          this[rawSymbol] = val;
        }
      }
    });
    Object.defineProperty(pinoResProto, rawSymbol, {
      writable: true,
      value: {}
    });
    function resSerializer(res) {
      const _res = Object.create(pinoResProto);
      _res.statusCode = res.headersSent ? res.statusCode : null;
      _res.headers = res.getHeaders ? res.getHeaders() : res._headers;
      _res.raw = res;
      return _res;
    }
    function mapHttpResponse(res) {
      return {
        res: resSerializer(res)
      };
    }
  }
});

// node_modules/pino-std-serializers/index.js
var require_pino_std_serializers = __commonJS({
  "node_modules/pino-std-serializers/index.js"(exports, module) {
    "use strict";
    var errSerializer = require_err();
    var errWithCauseSerializer = require_err_with_cause();
    var reqSerializers = require_req();
    var resSerializers = require_res();
    module.exports = {
      err: errSerializer,
      errWithCause: errWithCauseSerializer,
      mapHttpRequest: reqSerializers.mapHttpRequest,
      mapHttpResponse: resSerializers.mapHttpResponse,
      req: reqSerializers.reqSerializer,
      res: resSerializers.resSerializer,
      wrapErrorSerializer: function wrapErrorSerializer(customSerializer) {
        if (customSerializer === errSerializer) return customSerializer;
        return function wrapErrSerializer(err) {
          return customSerializer(errSerializer(err));
        };
      },
      wrapRequestSerializer: function wrapRequestSerializer(customSerializer) {
        if (customSerializer === reqSerializers.reqSerializer) return customSerializer;
        return function wrappedReqSerializer(req) {
          return customSerializer(reqSerializers.reqSerializer(req));
        };
      },
      wrapResponseSerializer: function wrapResponseSerializer(customSerializer) {
        if (customSerializer === resSerializers.resSerializer) return customSerializer;
        return function wrappedResSerializer(res) {
          return customSerializer(resSerializers.resSerializer(res));
        };
      }
    };
  }
});

// node_modules/pino/lib/caller.js
var require_caller = __commonJS({
  "node_modules/pino/lib/caller.js"(exports, module) {
    "use strict";
    var util = __require("node:util");
    var getCallSites = util.getCallSites ?? util.getCallSite;
    function noOpPrepareStackTrace(_, stack) {
      return stack;
    }
    module.exports = function getCallers() {
      if (getCallSites) {
        return getCallSites().slice(2).map((callSite) => callSite.scriptName);
      }
      const originalPrepare = Error.prepareStackTrace;
      Error.prepareStackTrace = noOpPrepareStackTrace;
      const stack = new Error().stack;
      Error.prepareStackTrace = originalPrepare;
      if (!Array.isArray(stack)) {
        return void 0;
      }
      const entries = stack.slice(2);
      const fileNames = [];
      for (const entry of entries) {
        if (!entry) {
          continue;
        }
        fileNames.push(entry.getFileName());
      }
      return fileNames;
    };
  }
});

// node_modules/@pinojs/redact/index.js
var require_redact = __commonJS({
  "node_modules/@pinojs/redact/index.js"(exports, module) {
    "use strict";
    function deepClone(obj) {
      if (obj === null || typeof obj !== "object") {
        return obj;
      }
      if (obj instanceof Date) {
        return new Date(obj.getTime());
      }
      if (obj instanceof Array) {
        const cloned = [];
        for (let i2 = 0; i2 < obj.length; i2++) {
          cloned[i2] = deepClone(obj[i2]);
        }
        return cloned;
      }
      if (typeof obj === "object") {
        const cloned = Object.create(Object.getPrototypeOf(obj));
        for (const key in obj) {
          if (Object.prototype.hasOwnProperty.call(obj, key)) {
            cloned[key] = deepClone(obj[key]);
          }
        }
        return cloned;
      }
      return obj;
    }
    function parsePath(path6) {
      const parts = [];
      let current = "";
      let inBrackets = false;
      let inQuotes = false;
      let quoteChar = "";
      for (let i2 = 0; i2 < path6.length; i2++) {
        const char = path6[i2];
        if (!inBrackets && char === ".") {
          if (current) {
            parts.push(current);
            current = "";
          }
        } else if (char === "[") {
          if (current) {
            parts.push(current);
            current = "";
          }
          inBrackets = true;
        } else if (char === "]" && inBrackets) {
          parts.push(current);
          current = "";
          inBrackets = false;
          inQuotes = false;
        } else if ((char === '"' || char === "'") && inBrackets) {
          if (!inQuotes) {
            inQuotes = true;
            quoteChar = char;
          } else if (char === quoteChar) {
            inQuotes = false;
            quoteChar = "";
          } else {
            current += char;
          }
        } else {
          current += char;
        }
      }
      if (current) {
        parts.push(current);
      }
      return parts;
    }
    function setValue(obj, parts, value) {
      let current = obj;
      for (let i2 = 0; i2 < parts.length - 1; i2++) {
        const key = parts[i2];
        if (typeof current !== "object" || current === null || !(key in current)) {
          return false;
        }
        if (typeof current[key] !== "object" || current[key] === null) {
          return false;
        }
        current = current[key];
      }
      const lastKey = parts[parts.length - 1];
      if (lastKey === "*") {
        if (Array.isArray(current)) {
          for (let i2 = 0; i2 < current.length; i2++) {
            current[i2] = value;
          }
        } else if (typeof current === "object" && current !== null) {
          for (const key in current) {
            if (Object.prototype.hasOwnProperty.call(current, key)) {
              current[key] = value;
            }
          }
        }
      } else {
        if (typeof current === "object" && current !== null && lastKey in current && Object.prototype.hasOwnProperty.call(current, lastKey)) {
          current[lastKey] = value;
        }
      }
      return true;
    }
    function removeKey(obj, parts) {
      let current = obj;
      for (let i2 = 0; i2 < parts.length - 1; i2++) {
        const key = parts[i2];
        if (typeof current !== "object" || current === null || !(key in current)) {
          return false;
        }
        if (typeof current[key] !== "object" || current[key] === null) {
          return false;
        }
        current = current[key];
      }
      const lastKey = parts[parts.length - 1];
      if (lastKey === "*") {
        if (Array.isArray(current)) {
          for (let i2 = 0; i2 < current.length; i2++) {
            current[i2] = void 0;
          }
        } else if (typeof current === "object" && current !== null) {
          for (const key in current) {
            if (Object.prototype.hasOwnProperty.call(current, key)) {
              delete current[key];
            }
          }
        }
      } else {
        if (typeof current === "object" && current !== null && lastKey in current && Object.prototype.hasOwnProperty.call(current, lastKey)) {
          delete current[lastKey];
        }
      }
      return true;
    }
    var PATH_NOT_FOUND = /* @__PURE__ */ Symbol("PATH_NOT_FOUND");
    function getValueIfExists(obj, parts) {
      let current = obj;
      for (const part of parts) {
        if (current === null || current === void 0) {
          return PATH_NOT_FOUND;
        }
        if (typeof current !== "object" || current === null) {
          return PATH_NOT_FOUND;
        }
        if (!(part in current)) {
          return PATH_NOT_FOUND;
        }
        current = current[part];
      }
      return current;
    }
    function getValue(obj, parts) {
      let current = obj;
      for (const part of parts) {
        if (current === null || current === void 0) {
          return void 0;
        }
        if (typeof current !== "object" || current === null) {
          return void 0;
        }
        current = current[part];
      }
      return current;
    }
    function redactPaths(obj, paths, censor, remove = false) {
      for (const path6 of paths) {
        const parts = parsePath(path6);
        if (parts.includes("*")) {
          redactWildcardPath(obj, parts, censor, path6, remove);
        } else {
          if (remove) {
            removeKey(obj, parts);
          } else {
            const value = getValueIfExists(obj, parts);
            if (value === PATH_NOT_FOUND) {
              continue;
            }
            const actualCensor = typeof censor === "function" ? censor(value, parts) : censor;
            setValue(obj, parts, actualCensor);
          }
        }
      }
    }
    function redactWildcardPath(obj, parts, censor, originalPath, remove = false) {
      const wildcardIndex = parts.indexOf("*");
      if (wildcardIndex === parts.length - 1) {
        const parentParts = parts.slice(0, -1);
        let current = obj;
        for (const part of parentParts) {
          if (current === null || current === void 0) return;
          if (typeof current !== "object" || current === null) return;
          current = current[part];
        }
        if (Array.isArray(current)) {
          if (remove) {
            for (let i2 = 0; i2 < current.length; i2++) {
              current[i2] = void 0;
            }
          } else {
            for (let i2 = 0; i2 < current.length; i2++) {
              const indexPath = [...parentParts, i2.toString()];
              const actualCensor = typeof censor === "function" ? censor(current[i2], indexPath) : censor;
              current[i2] = actualCensor;
            }
          }
        } else if (typeof current === "object" && current !== null) {
          if (remove) {
            const keysToDelete = [];
            for (const key in current) {
              if (Object.prototype.hasOwnProperty.call(current, key)) {
                keysToDelete.push(key);
              }
            }
            for (const key of keysToDelete) {
              delete current[key];
            }
          } else {
            for (const key in current) {
              const keyPath = [...parentParts, key];
              const actualCensor = typeof censor === "function" ? censor(current[key], keyPath) : censor;
              current[key] = actualCensor;
            }
          }
        }
      } else {
        redactIntermediateWildcard(obj, parts, censor, wildcardIndex, originalPath, remove);
      }
    }
    function redactIntermediateWildcard(obj, parts, censor, wildcardIndex, originalPath, remove = false) {
      const beforeWildcard = parts.slice(0, wildcardIndex);
      const afterWildcard = parts.slice(wildcardIndex + 1);
      const pathArray = [];
      function traverse(current, pathLength) {
        if (pathLength === beforeWildcard.length) {
          if (Array.isArray(current)) {
            for (let i2 = 0; i2 < current.length; i2++) {
              pathArray[pathLength] = i2.toString();
              traverse(current[i2], pathLength + 1);
            }
          } else if (typeof current === "object" && current !== null) {
            for (const key in current) {
              pathArray[pathLength] = key;
              traverse(current[key], pathLength + 1);
            }
          }
        } else if (pathLength < beforeWildcard.length) {
          const nextKey = beforeWildcard[pathLength];
          if (current && typeof current === "object" && current !== null && nextKey in current) {
            pathArray[pathLength] = nextKey;
            traverse(current[nextKey], pathLength + 1);
          }
        } else {
          if (afterWildcard.includes("*")) {
            const wrappedCensor = typeof censor === "function" ? (value, path6) => {
              const fullPath = [...pathArray.slice(0, pathLength), ...path6];
              return censor(value, fullPath);
            } : censor;
            redactWildcardPath(current, afterWildcard, wrappedCensor, originalPath, remove);
          } else {
            if (remove) {
              removeKey(current, afterWildcard);
            } else {
              const actualCensor = typeof censor === "function" ? censor(getValue(current, afterWildcard), [...pathArray.slice(0, pathLength), ...afterWildcard]) : censor;
              setValue(current, afterWildcard, actualCensor);
            }
          }
        }
      }
      if (beforeWildcard.length === 0) {
        traverse(obj, 0);
      } else {
        let current = obj;
        for (let i2 = 0; i2 < beforeWildcard.length; i2++) {
          const part = beforeWildcard[i2];
          if (current === null || current === void 0) return;
          if (typeof current !== "object" || current === null) return;
          current = current[part];
          pathArray[i2] = part;
        }
        if (current !== null && current !== void 0) {
          traverse(current, beforeWildcard.length);
        }
      }
    }
    function buildPathStructure(pathsToClone) {
      if (pathsToClone.length === 0) {
        return null;
      }
      const pathStructure = /* @__PURE__ */ new Map();
      for (const path6 of pathsToClone) {
        const parts = parsePath(path6);
        let current = pathStructure;
        for (let i2 = 0; i2 < parts.length; i2++) {
          const part = parts[i2];
          if (!current.has(part)) {
            current.set(part, /* @__PURE__ */ new Map());
          }
          current = current.get(part);
        }
      }
      return pathStructure;
    }
    function selectiveClone(obj, pathStructure) {
      if (!pathStructure) {
        return obj;
      }
      function cloneSelectively(source, pathMap, depth = 0) {
        if (!pathMap || pathMap.size === 0) {
          return source;
        }
        if (source === null || typeof source !== "object") {
          return source;
        }
        if (source instanceof Date) {
          return new Date(source.getTime());
        }
        if (Array.isArray(source)) {
          const cloned2 = [];
          for (let i2 = 0; i2 < source.length; i2++) {
            const indexStr = i2.toString();
            if (pathMap.has(indexStr) || pathMap.has("*")) {
              cloned2[i2] = cloneSelectively(source[i2], pathMap.get(indexStr) || pathMap.get("*"));
            } else {
              cloned2[i2] = source[i2];
            }
          }
          return cloned2;
        }
        const cloned = Object.create(Object.getPrototypeOf(source));
        for (const key in source) {
          if (Object.prototype.hasOwnProperty.call(source, key)) {
            if (pathMap.has(key) || pathMap.has("*")) {
              cloned[key] = cloneSelectively(source[key], pathMap.get(key) || pathMap.get("*"));
            } else {
              cloned[key] = source[key];
            }
          }
        }
        return cloned;
      }
      return cloneSelectively(obj, pathStructure);
    }
    function validatePath(path6) {
      if (typeof path6 !== "string") {
        throw new Error("Paths must be (non-empty) strings");
      }
      if (path6 === "") {
        throw new Error("Invalid redaction path ()");
      }
      if (path6.includes("..")) {
        throw new Error(`Invalid redaction path (${path6})`);
      }
      if (path6.includes(",")) {
        throw new Error(`Invalid redaction path (${path6})`);
      }
      let bracketCount = 0;
      let inQuotes = false;
      let quoteChar = "";
      for (let i2 = 0; i2 < path6.length; i2++) {
        const char = path6[i2];
        if ((char === '"' || char === "'") && bracketCount > 0) {
          if (!inQuotes) {
            inQuotes = true;
            quoteChar = char;
          } else if (char === quoteChar) {
            inQuotes = false;
            quoteChar = "";
          }
        } else if (char === "[" && !inQuotes) {
          bracketCount++;
        } else if (char === "]" && !inQuotes) {
          bracketCount--;
          if (bracketCount < 0) {
            throw new Error(`Invalid redaction path (${path6})`);
          }
        }
      }
      if (bracketCount !== 0) {
        throw new Error(`Invalid redaction path (${path6})`);
      }
    }
    function validatePaths(paths) {
      if (!Array.isArray(paths)) {
        throw new TypeError("paths must be an array");
      }
      for (const path6 of paths) {
        validatePath(path6);
      }
    }
    function slowRedact(options = {}) {
      const {
        paths = [],
        censor = "[REDACTED]",
        serialize: serialize2 = JSON.stringify,
        strict = true,
        remove = false
      } = options;
      validatePaths(paths);
      const pathStructure = buildPathStructure(paths);
      return function redact(obj) {
        if (strict && (obj === null || typeof obj !== "object")) {
          if (obj === null || obj === void 0) {
            return serialize2 ? serialize2(obj) : obj;
          }
          if (typeof obj !== "object") {
            return serialize2 ? serialize2(obj) : obj;
          }
        }
        const cloned = selectiveClone(obj, pathStructure);
        const original = obj;
        let actualCensor = censor;
        if (typeof censor === "function") {
          actualCensor = censor;
        }
        redactPaths(cloned, paths, actualCensor, remove);
        if (serialize2 === false) {
          cloned.restore = function() {
            return deepClone(original);
          };
          return cloned;
        }
        if (typeof serialize2 === "function") {
          return serialize2(cloned);
        }
        return JSON.stringify(cloned);
      };
    }
    module.exports = slowRedact;
  }
});

// node_modules/pino/lib/symbols.js
var require_symbols = __commonJS({
  "node_modules/pino/lib/symbols.js"(exports, module) {
    "use strict";
    var setLevelSym = /* @__PURE__ */ Symbol("pino.setLevel");
    var getLevelSym = /* @__PURE__ */ Symbol("pino.getLevel");
    var levelValSym = /* @__PURE__ */ Symbol("pino.levelVal");
    var levelCompSym = /* @__PURE__ */ Symbol("pino.levelComp");
    var useLevelLabelsSym = /* @__PURE__ */ Symbol("pino.useLevelLabels");
    var useOnlyCustomLevelsSym = /* @__PURE__ */ Symbol("pino.useOnlyCustomLevels");
    var mixinSym = /* @__PURE__ */ Symbol("pino.mixin");
    var lsCacheSym = /* @__PURE__ */ Symbol("pino.lsCache");
    var chindingsSym = /* @__PURE__ */ Symbol("pino.chindings");
    var asJsonSym = /* @__PURE__ */ Symbol("pino.asJson");
    var writeSym = /* @__PURE__ */ Symbol("pino.write");
    var redactFmtSym = /* @__PURE__ */ Symbol("pino.redactFmt");
    var timeSym = /* @__PURE__ */ Symbol("pino.time");
    var timeSliceIndexSym = /* @__PURE__ */ Symbol("pino.timeSliceIndex");
    var streamSym = /* @__PURE__ */ Symbol("pino.stream");
    var stringifySym = /* @__PURE__ */ Symbol("pino.stringify");
    var stringifySafeSym = /* @__PURE__ */ Symbol("pino.stringifySafe");
    var stringifiersSym = /* @__PURE__ */ Symbol("pino.stringifiers");
    var endSym = /* @__PURE__ */ Symbol("pino.end");
    var formatOptsSym = /* @__PURE__ */ Symbol("pino.formatOpts");
    var messageKeySym = /* @__PURE__ */ Symbol("pino.messageKey");
    var errorKeySym = /* @__PURE__ */ Symbol("pino.errorKey");
    var nestedKeySym = /* @__PURE__ */ Symbol("pino.nestedKey");
    var nestedKeyStrSym = /* @__PURE__ */ Symbol("pino.nestedKeyStr");
    var mixinMergeStrategySym = /* @__PURE__ */ Symbol("pino.mixinMergeStrategy");
    var msgPrefixSym = /* @__PURE__ */ Symbol("pino.msgPrefix");
    var wildcardFirstSym = /* @__PURE__ */ Symbol("pino.wildcardFirst");
    var serializersSym = /* @__PURE__ */ Symbol.for("pino.serializers");
    var formattersSym = /* @__PURE__ */ Symbol.for("pino.formatters");
    var hooksSym = /* @__PURE__ */ Symbol.for("pino.hooks");
    var needsMetadataGsym = /* @__PURE__ */ Symbol.for("pino.metadata");
    var transportUsesMultistreamSym = /* @__PURE__ */ Symbol.for("pino.transport.usesMultistream");
    module.exports = {
      setLevelSym,
      getLevelSym,
      levelValSym,
      levelCompSym,
      useLevelLabelsSym,
      mixinSym,
      lsCacheSym,
      chindingsSym,
      asJsonSym,
      writeSym,
      serializersSym,
      redactFmtSym,
      timeSym,
      timeSliceIndexSym,
      streamSym,
      stringifySym,
      stringifySafeSym,
      stringifiersSym,
      endSym,
      formatOptsSym,
      messageKeySym,
      errorKeySym,
      nestedKeySym,
      wildcardFirstSym,
      needsMetadataGsym,
      useOnlyCustomLevelsSym,
      formattersSym,
      hooksSym,
      nestedKeyStrSym,
      mixinMergeStrategySym,
      msgPrefixSym,
      transportUsesMultistreamSym
    };
  }
});

// node_modules/pino/lib/redaction.js
var require_redaction = __commonJS({
  "node_modules/pino/lib/redaction.js"(exports, module) {
    "use strict";
    var Redact = require_redact();
    var { redactFmtSym, wildcardFirstSym } = require_symbols();
    var rx = /[^.[\]]+|\[([^[\]]*?)\]/g;
    var CENSOR = "[Redacted]";
    var strict = false;
    function redaction(opts, serialize2) {
      const { paths, censor, remove } = handle(opts);
      const shape = paths.reduce((o2, str) => {
        rx.lastIndex = 0;
        const first = rx.exec(str);
        const next = rx.exec(str);
        let ns = first[1] !== void 0 ? first[1].replace(/^(?:"|'|`)(.*)(?:"|'|`)$/, "$1") : first[0];
        if (ns === "*") {
          ns = wildcardFirstSym;
        }
        if (next === null) {
          o2[ns] = null;
          return o2;
        }
        if (o2[ns] === null) {
          return o2;
        }
        const { index } = next;
        const nextPath = `${str.substr(index, str.length - 1)}`;
        o2[ns] = o2[ns] || [];
        if (ns !== wildcardFirstSym && o2[ns].length === 0) {
          o2[ns].push(...o2[wildcardFirstSym] || []);
        }
        if (ns === wildcardFirstSym) {
          Object.keys(o2).forEach(function(k) {
            if (o2[k]) {
              o2[k].push(nextPath);
            }
          });
        }
        o2[ns].push(nextPath);
        return o2;
      }, /* @__PURE__ */ Object.create(null));
      const result = Object.assign(/* @__PURE__ */ Object.create(null), {
        [redactFmtSym]: Redact({ paths, censor, serialize: serialize2, strict, remove })
      });
      const topCensor = (...args) => {
        return typeof censor === "function" ? serialize2(censor(...args)) : serialize2(censor);
      };
      return [...Object.keys(shape), ...Object.getOwnPropertySymbols(shape)].reduce((o2, k) => {
        if (shape[k] === null) {
          o2[k] = (value) => topCensor(value, [k]);
        } else {
          const wrappedCensor = typeof censor === "function" ? (value, path6) => {
            return censor(value, [k, ...path6]);
          } : censor;
          o2[k] = Redact({
            paths: shape[k],
            censor: wrappedCensor,
            serialize: serialize2,
            strict,
            remove
          });
        }
        return o2;
      }, result);
    }
    function handle(opts) {
      if (Array.isArray(opts)) {
        opts = { paths: opts, censor: CENSOR };
        return opts;
      }
      let { paths, censor = CENSOR, remove } = opts;
      if (Array.isArray(paths) === false) {
        throw Error("pino \u2013 redact must contain an array of strings");
      }
      if (remove === true) censor = void 0;
      return { paths, censor, remove };
    }
    module.exports = redaction;
  }
});

// node_modules/pino/lib/time.js
var require_time = __commonJS({
  "node_modules/pino/lib/time.js"(exports, module) {
    "use strict";
    var nullTime = () => "";
    var epochTime = () => `,"time":${Date.now()}`;
    var unixTime = () => `,"time":${Math.round(Date.now() / 1e3)}`;
    var isoTime = () => `,"time":"${new Date(Date.now()).toISOString()}"`;
    var NS_PER_MS = 1000000n;
    var NS_PER_SEC = 1000000000n;
    var startWallTimeNs = BigInt(Date.now()) * NS_PER_MS;
    var startHrTime = process.hrtime.bigint();
    var isoTimeNano = () => {
      const elapsedNs = process.hrtime.bigint() - startHrTime;
      const currentTimeNs = startWallTimeNs + elapsedNs;
      const secondsSinceEpoch = currentTimeNs / NS_PER_SEC;
      const nanosWithinSecond = currentTimeNs % NS_PER_SEC;
      const msSinceEpoch = Number(secondsSinceEpoch * 1000n + nanosWithinSecond / 1000000n);
      const date = new Date(msSinceEpoch);
      const year = date.getUTCFullYear();
      const month = (date.getUTCMonth() + 1).toString().padStart(2, "0");
      const day = date.getUTCDate().toString().padStart(2, "0");
      const hours = date.getUTCHours().toString().padStart(2, "0");
      const minutes = date.getUTCMinutes().toString().padStart(2, "0");
      const seconds3 = date.getUTCSeconds().toString().padStart(2, "0");
      return `,"time":"${year}-${month}-${day}T${hours}:${minutes}:${seconds3}.${nanosWithinSecond.toString().padStart(9, "0")}Z"`;
    };
    module.exports = { nullTime, epochTime, unixTime, isoTime, isoTimeNano };
  }
});

// node_modules/quick-format-unescaped/index.js
var require_quick_format_unescaped = __commonJS({
  "node_modules/quick-format-unescaped/index.js"(exports, module) {
    "use strict";
    function tryStringify(o2) {
      try {
        return JSON.stringify(o2);
      } catch (e) {
        return '"[Circular]"';
      }
    }
    module.exports = format2;
    function format2(f, args, opts) {
      var ss = opts && opts.stringify || tryStringify;
      var offset = 1;
      if (typeof f === "object" && f !== null) {
        var len = args.length + offset;
        if (len === 1) return f;
        var objects = new Array(len);
        objects[0] = ss(f);
        for (var index = 1; index < len; index++) {
          objects[index] = ss(args[index]);
        }
        return objects.join(" ");
      }
      if (typeof f !== "string") {
        return f;
      }
      var argLen = args.length;
      if (argLen === 0) return f;
      var str = "";
      var a2 = 1 - offset;
      var lastPos = -1;
      var flen = f && f.length || 0;
      for (var i2 = 0; i2 < flen; ) {
        if (f.charCodeAt(i2) === 37 && i2 + 1 < flen) {
          lastPos = lastPos > -1 ? lastPos : 0;
          switch (f.charCodeAt(i2 + 1)) {
            case 100:
            // 'd'
            case 102:
              if (a2 >= argLen)
                break;
              if (args[a2] == null) break;
              if (lastPos < i2)
                str += f.slice(lastPos, i2);
              str += Number(args[a2]);
              lastPos = i2 + 2;
              i2++;
              break;
            case 105:
              if (a2 >= argLen)
                break;
              if (args[a2] == null) break;
              if (lastPos < i2)
                str += f.slice(lastPos, i2);
              str += Math.floor(Number(args[a2]));
              lastPos = i2 + 2;
              i2++;
              break;
            case 79:
            // 'O'
            case 111:
            // 'o'
            case 106:
              if (a2 >= argLen)
                break;
              if (args[a2] === void 0) break;
              if (lastPos < i2)
                str += f.slice(lastPos, i2);
              var type = typeof args[a2];
              if (type === "string") {
                str += "'" + args[a2] + "'";
                lastPos = i2 + 2;
                i2++;
                break;
              }
              if (type === "function") {
                str += args[a2].name || "<anonymous>";
                lastPos = i2 + 2;
                i2++;
                break;
              }
              str += ss(args[a2]);
              lastPos = i2 + 2;
              i2++;
              break;
            case 115:
              if (a2 >= argLen)
                break;
              if (lastPos < i2)
                str += f.slice(lastPos, i2);
              str += String(args[a2]);
              lastPos = i2 + 2;
              i2++;
              break;
            case 37:
              if (lastPos < i2)
                str += f.slice(lastPos, i2);
              str += "%";
              lastPos = i2 + 2;
              i2++;
              a2--;
              break;
          }
          ++a2;
        }
        ++i2;
      }
      if (lastPos === -1)
        return f;
      else if (lastPos < flen) {
        str += f.slice(lastPos);
      }
      return str;
    }
  }
});

// node_modules/atomic-sleep/index.js
var require_atomic_sleep = __commonJS({
  "node_modules/atomic-sleep/index.js"(exports, module) {
    "use strict";
    if (typeof SharedArrayBuffer !== "undefined" && typeof Atomics !== "undefined") {
      let sleep4 = function(ms) {
        const valid = ms > 0 && ms < Infinity;
        if (valid === false) {
          if (typeof ms !== "number" && typeof ms !== "bigint") {
            throw TypeError("sleep: ms must be a number");
          }
          throw RangeError("sleep: ms must be a number that is greater than 0 but less than Infinity");
        }
        Atomics.wait(nil, 0, 0, Number(ms));
      };
      const nil = new Int32Array(new SharedArrayBuffer(4));
      module.exports = sleep4;
    } else {
      let sleep4 = function(ms) {
        const valid = ms > 0 && ms < Infinity;
        if (valid === false) {
          if (typeof ms !== "number" && typeof ms !== "bigint") {
            throw TypeError("sleep: ms must be a number");
          }
          throw RangeError("sleep: ms must be a number that is greater than 0 but less than Infinity");
        }
        const target = Date.now() + Number(ms);
        while (target > Date.now()) {
        }
      };
      module.exports = sleep4;
    }
  }
});

// node_modules/sonic-boom/index.js
var require_sonic_boom = __commonJS({
  "node_modules/sonic-boom/index.js"(exports, module) {
    "use strict";
    var fs = __require("fs");
    var EventEmitter2 = __require("events");
    var inherits = __require("util").inherits;
    var path6 = __require("path");
    var sleep4 = require_atomic_sleep();
    var assert = __require("assert");
    var BUSY_WRITE_TIMEOUT = 100;
    var kEmptyBuffer = Buffer.allocUnsafe(0);
    var MAX_WRITE = 16 * 1024;
    var kContentModeBuffer = "buffer";
    var kContentModeUtf8 = "utf8";
    var [major, minor] = (process.versions.node || "0.0").split(".").map(Number);
    var kCopyBuffer = major >= 22 && minor >= 7;
    function openFile(file, sonic) {
      sonic._opening = true;
      sonic._writing = true;
      sonic._asyncDrainScheduled = false;
      function fileOpened(err, fd) {
        if (err) {
          sonic._reopening = false;
          sonic._writing = false;
          sonic._opening = false;
          if (sonic.sync) {
            process.nextTick(() => {
              if (sonic.listenerCount("error") > 0) {
                sonic.emit("error", err);
              }
            });
          } else {
            sonic.emit("error", err);
          }
          return;
        }
        const reopening = sonic._reopening;
        sonic.fd = fd;
        sonic.file = file;
        sonic._reopening = false;
        sonic._opening = false;
        sonic._writing = false;
        if (sonic.sync) {
          process.nextTick(() => sonic.emit("ready"));
        } else {
          sonic.emit("ready");
        }
        if (sonic.destroyed) {
          return;
        }
        if (!sonic._writing && sonic._len > sonic.minLength || sonic._flushPending) {
          sonic._actualWrite();
        } else if (reopening) {
          process.nextTick(() => sonic.emit("drain"));
        }
      }
      const flags = sonic.append ? "a" : "w";
      const mode = sonic.mode;
      if (sonic.sync) {
        try {
          if (sonic.mkdir) fs.mkdirSync(path6.dirname(file), { recursive: true });
          const fd = fs.openSync(file, flags, mode);
          fileOpened(null, fd);
        } catch (err) {
          fileOpened(err);
          throw err;
        }
      } else if (sonic.mkdir) {
        fs.mkdir(path6.dirname(file), { recursive: true }, (err) => {
          if (err) return fileOpened(err);
          fs.open(file, flags, mode, fileOpened);
        });
      } else {
        fs.open(file, flags, mode, fileOpened);
      }
    }
    function SonicBoom(opts) {
      if (!(this instanceof SonicBoom)) {
        return new SonicBoom(opts);
      }
      let { fd, dest, minLength, maxLength, maxWrite, periodicFlush, sync, append = true, mkdir: mkdir14, retryEAGAIN, fsync, contentMode, mode } = opts || {};
      fd = fd || dest;
      this._len = 0;
      this.fd = -1;
      this._bufs = [];
      this._lens = [];
      this._writing = false;
      this._ending = false;
      this._reopening = false;
      this._asyncDrainScheduled = false;
      this._flushPending = false;
      this._hwm = Math.max(minLength || 0, 16387);
      this.file = null;
      this.destroyed = false;
      this.minLength = minLength || 0;
      this.maxLength = maxLength || 0;
      this.maxWrite = maxWrite || MAX_WRITE;
      this._periodicFlush = periodicFlush || 0;
      this._periodicFlushTimer = void 0;
      this.sync = sync || false;
      this.writable = true;
      this._fsync = fsync || false;
      this.append = append || false;
      this.mode = mode;
      this.retryEAGAIN = retryEAGAIN || (() => true);
      this.mkdir = mkdir14 || false;
      let fsWriteSync;
      let fsWrite;
      if (contentMode === kContentModeBuffer) {
        this._writingBuf = kEmptyBuffer;
        this.write = writeBuffer;
        this.flush = flushBuffer;
        this.flushSync = flushBufferSync;
        this._actualWrite = actualWriteBuffer;
        fsWriteSync = () => fs.writeSync(this.fd, this._writingBuf);
        fsWrite = () => fs.write(this.fd, this._writingBuf, this.release);
      } else if (contentMode === void 0 || contentMode === kContentModeUtf8) {
        this._writingBuf = "";
        this.write = write;
        this.flush = flush;
        this.flushSync = flushSync;
        this._actualWrite = actualWrite;
        fsWriteSync = () => {
          if (Buffer.isBuffer(this._writingBuf)) {
            return fs.writeSync(this.fd, this._writingBuf);
          }
          return fs.writeSync(this.fd, this._writingBuf, "utf8");
        };
        fsWrite = () => {
          if (Buffer.isBuffer(this._writingBuf)) {
            return fs.write(this.fd, this._writingBuf, this.release);
          }
          return fs.write(this.fd, this._writingBuf, "utf8", this.release);
        };
      } else {
        throw new Error(`SonicBoom supports "${kContentModeUtf8}" and "${kContentModeBuffer}", but passed ${contentMode}`);
      }
      if (typeof fd === "number") {
        this.fd = fd;
        process.nextTick(() => this.emit("ready"));
      } else if (typeof fd === "string") {
        openFile(fd, this);
      } else {
        throw new Error("SonicBoom supports only file descriptors and files");
      }
      if (this.minLength >= this.maxWrite) {
        throw new Error(`minLength should be smaller than maxWrite (${this.maxWrite})`);
      }
      this.release = (err, n2) => {
        if (err) {
          if ((err.code === "EAGAIN" || err.code === "EBUSY") && this.retryEAGAIN(err, this._writingBuf.length, this._len - this._writingBuf.length)) {
            if (this.sync) {
              try {
                sleep4(BUSY_WRITE_TIMEOUT);
                this.release(void 0, 0);
              } catch (err2) {
                this.release(err2);
              }
            } else {
              setTimeout(fsWrite, BUSY_WRITE_TIMEOUT);
            }
          } else {
            this._writing = false;
            this.emit("error", err);
          }
          return;
        }
        this.emit("write", n2);
        const releasedBufObj = releaseWritingBuf(this._writingBuf, this._len, n2);
        this._len = releasedBufObj.len;
        this._writingBuf = releasedBufObj.writingBuf;
        if (this._writingBuf.length) {
          if (!this.sync) {
            fsWrite();
            return;
          }
          try {
            do {
              const n3 = fsWriteSync();
              const releasedBufObj2 = releaseWritingBuf(this._writingBuf, this._len, n3);
              this._len = releasedBufObj2.len;
              this._writingBuf = releasedBufObj2.writingBuf;
            } while (this._writingBuf.length);
          } catch (err2) {
            this.release(err2);
            return;
          }
        }
        if (this._fsync) {
          fs.fsyncSync(this.fd);
        }
        const len = this._len;
        if (this._reopening) {
          this._writing = false;
          this._reopening = false;
          this.reopen();
        } else if (len > this.minLength) {
          this._actualWrite();
        } else if (this._ending) {
          if (len > 0) {
            this._actualWrite();
          } else {
            this._writing = false;
            actualClose(this);
          }
        } else {
          this._writing = false;
          if (this.sync) {
            if (!this._asyncDrainScheduled) {
              this._asyncDrainScheduled = true;
              process.nextTick(emitDrain, this);
            }
          } else {
            this.emit("drain");
          }
        }
      };
      this.on("newListener", function(name) {
        if (name === "drain") {
          this._asyncDrainScheduled = false;
        }
      });
      if (this._periodicFlush !== 0) {
        this._periodicFlushTimer = setInterval(() => this.flush(null), this._periodicFlush);
        this._periodicFlushTimer.unref();
      }
    }
    function releaseWritingBuf(writingBuf, len, n2) {
      if (typeof writingBuf === "string") {
        writingBuf = Buffer.from(writingBuf);
      }
      len = Math.max(len - n2, 0);
      writingBuf = writingBuf.subarray(n2);
      return { writingBuf, len };
    }
    function emitDrain(sonic) {
      const hasListeners = sonic.listenerCount("drain") > 0;
      if (!hasListeners) return;
      sonic._asyncDrainScheduled = false;
      sonic.emit("drain");
    }
    inherits(SonicBoom, EventEmitter2);
    function mergeBuf(bufs, len) {
      if (bufs.length === 0) {
        return kEmptyBuffer;
      }
      if (bufs.length === 1) {
        return bufs[0];
      }
      return Buffer.concat(bufs, len);
    }
    function write(data) {
      if (this.destroyed) {
        throw new Error("SonicBoom destroyed");
      }
      data = "" + data;
      const dataLen = Buffer.byteLength(data);
      const len = this._len + dataLen;
      const bufs = this._bufs;
      if (this.maxLength && len > this.maxLength) {
        this.emit("drop", data);
        return this._len < this._hwm;
      }
      if (bufs.length === 0 || Buffer.byteLength(bufs[bufs.length - 1]) + dataLen > this.maxWrite) {
        bufs.push(data);
      } else {
        bufs[bufs.length - 1] += data;
      }
      this._len = len;
      if (!this._writing && this._len >= this.minLength) {
        this._actualWrite();
      }
      return this._len < this._hwm;
    }
    function writeBuffer(data) {
      if (this.destroyed) {
        throw new Error("SonicBoom destroyed");
      }
      const len = this._len + data.length;
      const bufs = this._bufs;
      const lens = this._lens;
      if (this.maxLength && len > this.maxLength) {
        this.emit("drop", data);
        return this._len < this._hwm;
      }
      if (bufs.length === 0 || lens[lens.length - 1] + data.length > this.maxWrite) {
        bufs.push([data]);
        lens.push(data.length);
      } else {
        bufs[bufs.length - 1].push(data);
        lens[lens.length - 1] += data.length;
      }
      this._len = len;
      if (!this._writing && this._len >= this.minLength) {
        this._actualWrite();
      }
      return this._len < this._hwm;
    }
    function callFlushCallbackOnDrain(cb) {
      this._flushPending = true;
      const onDrain = () => {
        if (!this._fsync) {
          try {
            fs.fsync(this.fd, (err) => {
              this._flushPending = false;
              cb(err);
            });
          } catch (err) {
            cb(err);
          }
        } else {
          this._flushPending = false;
          cb();
        }
        this.off("error", onError);
      };
      const onError = (err) => {
        this._flushPending = false;
        cb(err);
        this.off("drain", onDrain);
      };
      this.once("drain", onDrain);
      this.once("error", onError);
    }
    function flush(cb) {
      if (cb != null && typeof cb !== "function") {
        throw new Error("flush cb must be a function");
      }
      if (this.destroyed) {
        const error = new Error("SonicBoom destroyed");
        if (cb) {
          cb(error);
          return;
        }
        throw error;
      }
      if (this.minLength <= 0) {
        cb?.();
        return;
      }
      if (cb) {
        callFlushCallbackOnDrain.call(this, cb);
      }
      if (this._writing) {
        return;
      }
      if (this._bufs.length === 0) {
        this._bufs.push("");
      }
      this._actualWrite();
    }
    function flushBuffer(cb) {
      if (cb != null && typeof cb !== "function") {
        throw new Error("flush cb must be a function");
      }
      if (this.destroyed) {
        const error = new Error("SonicBoom destroyed");
        if (cb) {
          cb(error);
          return;
        }
        throw error;
      }
      if (this.minLength <= 0) {
        cb?.();
        return;
      }
      if (cb) {
        callFlushCallbackOnDrain.call(this, cb);
      }
      if (this._writing) {
        return;
      }
      if (this._bufs.length === 0) {
        this._bufs.push([]);
        this._lens.push(0);
      }
      this._actualWrite();
    }
    SonicBoom.prototype.reopen = function(file) {
      if (this.destroyed) {
        throw new Error("SonicBoom destroyed");
      }
      if (this._opening) {
        this.once("ready", () => {
          this.reopen(file);
        });
        return;
      }
      if (this._ending) {
        return;
      }
      if (!this.file) {
        throw new Error("Unable to reopen a file descriptor, you must pass a file to SonicBoom");
      }
      if (file) {
        this.file = file;
      }
      this._reopening = true;
      if (this._writing) {
        return;
      }
      const fd = this.fd;
      this.once("ready", () => {
        if (fd !== this.fd) {
          fs.close(fd, (err) => {
            if (err) {
              return this.emit("error", err);
            }
          });
        }
      });
      openFile(this.file, this);
    };
    SonicBoom.prototype.end = function() {
      if (this.destroyed) {
        throw new Error("SonicBoom destroyed");
      }
      if (this._opening) {
        this.once("ready", () => {
          this.end();
        });
        return;
      }
      if (this._ending) {
        return;
      }
      this._ending = true;
      if (this._writing) {
        return;
      }
      if (this._len > 0 && this.fd >= 0) {
        this._actualWrite();
      } else {
        actualClose(this);
      }
    };
    function flushSync() {
      if (this.destroyed) {
        throw new Error("SonicBoom destroyed");
      }
      if (this.fd < 0) {
        throw new Error("sonic boom is not ready yet");
      }
      if (!this._writing && this._writingBuf.length > 0) {
        this._bufs.unshift(this._writingBuf);
        this._writingBuf = "";
      }
      let buf = "";
      while (this._bufs.length || buf.length) {
        if (buf.length <= 0) {
          buf = this._bufs[0];
        }
        try {
          const n2 = Buffer.isBuffer(buf) ? fs.writeSync(this.fd, buf) : fs.writeSync(this.fd, buf, "utf8");
          const releasedBufObj = releaseWritingBuf(buf, this._len, n2);
          buf = releasedBufObj.writingBuf;
          this._len = releasedBufObj.len;
          if (buf.length <= 0) {
            this._bufs.shift();
          }
        } catch (err) {
          const shouldRetry = err.code === "EAGAIN" || err.code === "EBUSY";
          if (shouldRetry && !this.retryEAGAIN(err, buf.length, this._len - buf.length)) {
            throw err;
          }
          sleep4(BUSY_WRITE_TIMEOUT);
        }
      }
      try {
        fs.fsyncSync(this.fd);
      } catch {
      }
    }
    function flushBufferSync() {
      if (this.destroyed) {
        throw new Error("SonicBoom destroyed");
      }
      if (this.fd < 0) {
        throw new Error("sonic boom is not ready yet");
      }
      if (!this._writing && this._writingBuf.length > 0) {
        this._bufs.unshift([this._writingBuf]);
        this._writingBuf = kEmptyBuffer;
      }
      let buf = kEmptyBuffer;
      while (this._bufs.length || buf.length) {
        if (buf.length <= 0) {
          buf = mergeBuf(this._bufs[0], this._lens[0]);
        }
        try {
          const n2 = fs.writeSync(this.fd, buf);
          buf = buf.subarray(n2);
          this._len = Math.max(this._len - n2, 0);
          if (buf.length <= 0) {
            this._bufs.shift();
            this._lens.shift();
          }
        } catch (err) {
          const shouldRetry = err.code === "EAGAIN" || err.code === "EBUSY";
          if (shouldRetry && !this.retryEAGAIN(err, buf.length, this._len - buf.length)) {
            throw err;
          }
          sleep4(BUSY_WRITE_TIMEOUT);
        }
      }
    }
    SonicBoom.prototype.destroy = function() {
      if (this.destroyed) {
        return;
      }
      actualClose(this);
    };
    function actualWrite() {
      const release = this.release;
      this._writing = true;
      this._writingBuf = this._writingBuf.length ? this._writingBuf : this._bufs.shift() || "";
      if (this.sync) {
        try {
          const written = Buffer.isBuffer(this._writingBuf) ? fs.writeSync(this.fd, this._writingBuf) : fs.writeSync(this.fd, this._writingBuf, "utf8");
          release(null, written);
        } catch (err) {
          release(err);
        }
      } else {
        fs.write(this.fd, this._writingBuf, release);
      }
    }
    function actualWriteBuffer() {
      const release = this.release;
      this._writing = true;
      this._writingBuf = this._writingBuf.length ? this._writingBuf : mergeBuf(this._bufs.shift(), this._lens.shift());
      if (this.sync) {
        try {
          const written = fs.writeSync(this.fd, this._writingBuf);
          release(null, written);
        } catch (err) {
          release(err);
        }
      } else {
        if (kCopyBuffer) {
          this._writingBuf = Buffer.from(this._writingBuf);
        }
        fs.write(this.fd, this._writingBuf, release);
      }
    }
    function actualClose(sonic) {
      if (sonic.fd === -1) {
        sonic.once("ready", actualClose.bind(null, sonic));
        return;
      }
      if (sonic._periodicFlushTimer !== void 0) {
        clearInterval(sonic._periodicFlushTimer);
      }
      sonic.destroyed = true;
      sonic._bufs = [];
      sonic._lens = [];
      assert(typeof sonic.fd === "number", `sonic.fd must be a number, got ${typeof sonic.fd}`);
      try {
        fs.fsync(sonic.fd, closeWrapped);
      } catch {
      }
      function closeWrapped() {
        if (sonic.fd !== 1 && sonic.fd !== 2) {
          fs.close(sonic.fd, done);
        } else {
          done();
        }
      }
      function done(err) {
        if (err) {
          sonic.emit("error", err);
          return;
        }
        if (sonic._ending && !sonic._writing) {
          sonic.emit("finish");
        }
        sonic.emit("close");
      }
    }
    SonicBoom.SonicBoom = SonicBoom;
    SonicBoom.default = SonicBoom;
    module.exports = SonicBoom;
  }
});

// node_modules/on-exit-leak-free/index.js
var require_on_exit_leak_free = __commonJS({
  "node_modules/on-exit-leak-free/index.js"(exports, module) {
    "use strict";
    var refs = {
      exit: [],
      beforeExit: []
    };
    var functions = {
      exit: onExit2,
      beforeExit: onBeforeExit
    };
    var registry;
    function ensureRegistry() {
      if (registry === void 0) {
        registry = new FinalizationRegistry(clear);
      }
    }
    function install2(event) {
      if (refs[event].length > 0) {
        return;
      }
      process.on(event, functions[event]);
    }
    function uninstall(event) {
      if (refs[event].length > 0) {
        return;
      }
      process.removeListener(event, functions[event]);
      if (refs.exit.length === 0 && refs.beforeExit.length === 0) {
        registry = void 0;
      }
    }
    function onExit2() {
      callRefs("exit");
    }
    function onBeforeExit() {
      callRefs("beforeExit");
    }
    function callRefs(event) {
      for (const ref of refs[event]) {
        const obj = ref.deref();
        const fn = ref.fn;
        if (obj !== void 0) {
          fn(obj, event);
        }
      }
      refs[event] = [];
    }
    function clear(ref) {
      for (const event of ["exit", "beforeExit"]) {
        const index = refs[event].indexOf(ref);
        refs[event].splice(index, index + 1);
        uninstall(event);
      }
    }
    function _register(event, obj, fn) {
      if (obj === void 0) {
        throw new Error("the object can't be undefined");
      }
      install2(event);
      const ref = new WeakRef(obj);
      ref.fn = fn;
      ensureRegistry();
      registry.register(obj, ref);
      refs[event].push(ref);
    }
    function register(obj, fn) {
      _register("exit", obj, fn);
    }
    function registerBeforeExit(obj, fn) {
      _register("beforeExit", obj, fn);
    }
    function unregister(obj) {
      if (registry === void 0) {
        return;
      }
      registry.unregister(obj);
      for (const event of ["exit", "beforeExit"]) {
        refs[event] = refs[event].filter((ref) => {
          const _obj = ref.deref();
          return _obj && _obj !== obj;
        });
        uninstall(event);
      }
    }
    module.exports = {
      register,
      registerBeforeExit,
      unregister
    };
  }
});

// node_modules/thread-stream/package.json
var require_package = __commonJS({
  "node_modules/thread-stream/package.json"(exports, module) {
    module.exports = {
      name: "thread-stream",
      version: "4.2.1",
      description: "A streaming way to send data to a Node.js Worker Thread",
      main: "index.js",
      types: "index.d.ts",
      engines: {
        node: ">=20"
      },
      dependencies: {
        "real-require": "^1.0.0"
      },
      devDependencies: {
        "@types/node": "^26.1.1",
        "@yao-pkg/pkg": "^6.0.0",
        borp: "^1.0.0",
        desm: "^1.3.0",
        eslint: "^9.39.1",
        fastbench: "^1.0.1",
        neostandard: "^0.13.0",
        "pino-elasticsearch": "^9.0.0",
        "sonic-boom": "^5.0.0",
        "ts-node": "^10.8.0",
        tsd: "^0.33.0",
        typescript: "~5.7.3"
      },
      scripts: {
        build: "tsc --noEmit",
        lint: "eslint",
        test: 'npm run lint && npm run build && npm run test:types && npm run transpile && borp --expose-gc --pattern "test/*.test.{js,mjs}"',
        "test:ci": 'npm run lint && npm run test:types && npm run transpile && borp --expose-gc --pattern "test/*.test.{js,mjs}"',
        "test:types": "tsd",
        "test:yarn": 'npm run transpile && borp --expose-gc --pattern "test/*.test.js"',
        transpile: "sh ./test/ts/transpile.sh"
      },
      tsd: {
        directory: "test/types"
      },
      repository: {
        type: "git",
        url: "git+https://github.com/mcollina/thread-stream.git"
      },
      keywords: [
        "worker",
        "thread",
        "threads",
        "stream"
      ],
      author: "Matteo Collina <hello@matteocollina.com>",
      license: "MIT",
      bugs: {
        url: "https://github.com/mcollina/thread-stream/issues"
      },
      homepage: "https://github.com/mcollina/thread-stream#readme"
    };
  }
});

// node_modules/thread-stream/lib/wait.js
var require_wait = __commonJS({
  "node_modules/thread-stream/lib/wait.js"(exports, module) {
    "use strict";
    var WAIT_MS = 1e4;
    function wait(state, index, expected, timeout, done) {
      const max = timeout === Infinity ? Infinity : Date.now() + timeout;
      const check = (previous) => {
        const current = Atomics.load(state, index);
        if (current >= expected) {
          done(null, "ok");
          return;
        }
        if (previous !== void 0 && current !== previous) {
          done(null, "not-equal");
          return;
        }
        if (max !== Infinity && Date.now() > max) {
          done(null, "timed-out");
          return;
        }
        const remaining = max === Infinity ? WAIT_MS : Math.min(WAIT_MS, Math.max(1, max - Date.now()));
        const result = Atomics.waitAsync(state, index, current, remaining);
        if (result.async) {
          result.value.then((res) => {
            if (res === "ok") {
              const latest = Atomics.load(state, index);
              done(null, latest >= expected ? "ok" : "not-equal");
              return;
            }
            check(current);
          });
        } else {
          setImmediate(done, null, "not-equal");
        }
      };
      check();
    }
    function waitDiff(state, index, expected, timeout, done) {
      const max = timeout === Infinity ? Infinity : Date.now() + timeout;
      const check = () => {
        const current = Atomics.load(state, index);
        if (current !== expected) {
          done(null, "ok");
          return;
        }
        if (max !== Infinity && Date.now() > max) {
          done(null, "timed-out");
          return;
        }
        const remaining = max === Infinity ? WAIT_MS : Math.min(WAIT_MS, Math.max(1, max - Date.now()));
        const result = Atomics.waitAsync(state, index, expected, remaining);
        if (result.async) {
          result.value.then((res) => {
            if (res === "ok") {
              done(null, "ok");
              return;
            }
            check();
          });
        } else {
          setImmediate(check);
        }
      };
      check();
    }
    module.exports = { wait, waitDiff };
  }
});

// node_modules/thread-stream/lib/indexes.js
var require_indexes = __commonJS({
  "node_modules/thread-stream/lib/indexes.js"(exports, module) {
    "use strict";
    var SEQ_INDEX = 2;
    var WRITE_INDEX = 4;
    var READ_INDEX = 8;
    module.exports = {
      WRITE_INDEX,
      READ_INDEX,
      SEQ_INDEX
    };
  }
});

// node_modules/thread-stream/index.js
var require_thread_stream = __commonJS({
  "node_modules/thread-stream/index.js"(exports, module) {
    "use strict";
    var { version } = require_package();
    var { EventEmitter: EventEmitter2 } = __require("events");
    var { Worker } = __require("worker_threads");
    var { join: join28 } = __require("path");
    var { pathToFileURL: pathToFileURL3 } = __require("url");
    var { wait } = require_wait();
    var {
      WRITE_INDEX,
      READ_INDEX,
      SEQ_INDEX
    } = require_indexes();
    var buffer = __require("buffer");
    var assert = __require("assert");
    var kImpl = /* @__PURE__ */ Symbol("kImpl");
    var MAX_STRING = buffer.constants.MAX_STRING_LENGTH;
    function noop3() {
    }
    function updateState(stream, fn) {
      Atomics.add(stream[kImpl].state, SEQ_INDEX, 1);
      fn();
      Atomics.add(stream[kImpl].state, SEQ_INDEX, 1);
      Atomics.notify(stream[kImpl].state, SEQ_INDEX);
    }
    function resetIndexes(stream) {
      updateState(stream, () => {
        Atomics.store(stream[kImpl].state, READ_INDEX, 0);
        Atomics.store(stream[kImpl].state, WRITE_INDEX, 0);
      });
      Atomics.notify(stream[kImpl].state, READ_INDEX);
    }
    var FakeWeakRef = class {
      constructor(value) {
        this._value = value;
      }
      deref() {
        return this._value;
      }
    };
    var FakeFinalizationRegistry = class {
      register() {
      }
      unregister() {
      }
    };
    var FinalizationRegistry2 = process.env.NODE_V8_COVERAGE ? FakeFinalizationRegistry : global.FinalizationRegistry || FakeFinalizationRegistry;
    var WeakRef2 = process.env.NODE_V8_COVERAGE ? FakeWeakRef : global.WeakRef || FakeWeakRef;
    var registry = new FinalizationRegistry2((worker) => {
      if (worker.exited) {
        return;
      }
      worker.terminate();
    });
    function createWorker(stream, opts) {
      const { filename, workerData } = opts;
      const bundlerOverrides = "__bundlerPathsOverrides" in globalThis ? globalThis.__bundlerPathsOverrides : {};
      const toExecute = bundlerOverrides["thread-stream-worker"] || join28(__dirname, "lib", "worker.js");
      const worker = new Worker(toExecute, {
        ...opts.workerOpts,
        name: opts.workerOpts?.name || "thread-stream",
        trackUnmanagedFds: false,
        workerData: {
          filename: filename.indexOf("file://") === 0 ? filename : pathToFileURL3(filename).href,
          dataBuf: stream[kImpl].dataBuf,
          stateBuf: stream[kImpl].stateBuf,
          workerData: {
            $context: {
              threadStreamVersion: version
            },
            ...workerData
          }
        }
      });
      worker.stream = new FakeWeakRef(stream);
      worker.on("message", onWorkerMessage);
      worker.on("exit", onWorkerExit);
      registry.register(stream, worker);
      return worker;
    }
    function drain(stream) {
      assert(!stream[kImpl].sync);
      if (stream[kImpl].needDrain) {
        stream[kImpl].needDrain = false;
        stream.emit("drain");
      }
    }
    function nextFlush(stream) {
      while (true) {
        const writeIndex = Atomics.load(stream[kImpl].state, WRITE_INDEX);
        if (stream.destroyed || writeIndex < 0) {
          return;
        }
        const leftover = stream[kImpl].data.length - writeIndex;
        if (leftover > 0) {
          if (stream[kImpl].bufLen === 0) {
            stream[kImpl].flushing = false;
            if (stream[kImpl].ending) {
              end(stream);
            } else if (stream[kImpl].needDrain) {
              process.nextTick(drain, stream);
            }
            return;
          }
          write(stream, leftover, noop3);
          continue;
        }
        if (leftover === 0) {
          if (writeIndex === 0 && stream[kImpl].bufLen === 0) {
            return;
          }
          waitForRead(stream, () => {
            if (stream.destroyed) {
              return;
            }
            resetIndexes(stream);
            nextFlush(stream);
          });
          return;
        }
        destroy(stream, new Error("overwritten"));
        return;
      }
    }
    function onWorkerMessage(msg) {
      const stream = this.stream.deref();
      if (stream === void 0) {
        this.exited = true;
        this.terminate();
        return;
      }
      if (msg?.code == null) {
        return;
      }
      switch (msg.code) {
        case "READY":
          if (!stream[kImpl].ending) {
            this.stream = new WeakRef2(stream);
          }
          waitForRead(stream, () => {
            stream[kImpl].ready = true;
            stream.emit("ready");
          });
          break;
        case "ERROR":
          destroy(stream, msg.err);
          break;
        case "EVENT":
          if (Array.isArray(msg.args)) {
            stream.emit(msg.name, ...msg.args);
          } else {
            stream.emit(msg.name, msg.args);
          }
          break;
        case "FLUSHED": {
          if (msg.context !== "thread-stream") {
            destroy(stream, new Error("this should not happen: " + msg.code));
            break;
          }
          const cb = stream[kImpl].flushCallbacks.get(msg.id);
          if (cb) {
            stream[kImpl].flushCallbacks.delete(msg.id);
            process.nextTick(cb);
          }
          break;
        }
        case "WARNING":
          process.emitWarning(msg.err);
          break;
        default:
          destroy(stream, new Error("this should not happen: " + msg.code));
      }
    }
    function onWorkerExit(code) {
      const stream = this.stream.deref();
      if (stream === void 0) {
        return;
      }
      registry.unregister(stream);
      stream.worker.exited = true;
      stream.worker.off("exit", onWorkerExit);
      destroy(stream, code !== 0 ? new Error("the worker thread exited") : null);
    }
    var ThreadStream = class extends EventEmitter2 {
      constructor(opts = {}) {
        super();
        if (opts.bufferSize < 4) {
          throw new Error("bufferSize must at least fit a 4-byte utf-8 char");
        }
        this[kImpl] = {};
        this[kImpl].stateBuf = new SharedArrayBuffer(128);
        this[kImpl].state = new Int32Array(this[kImpl].stateBuf);
        this[kImpl].dataBuf = new SharedArrayBuffer(opts.bufferSize || 4 * 1024 * 1024);
        this[kImpl].data = Buffer.from(this[kImpl].dataBuf);
        this[kImpl].sync = opts.sync || false;
        this[kImpl].ending = false;
        this[kImpl].ended = false;
        this[kImpl].needDrain = false;
        this[kImpl].destroyed = false;
        this[kImpl].flushing = false;
        this[kImpl].ready = false;
        this[kImpl].finished = false;
        this[kImpl].errored = null;
        this[kImpl].closed = false;
        this[kImpl].buf = [];
        this[kImpl].bufHead = 0;
        this[kImpl].bufLen = 0;
        this[kImpl].flushCallbacks = /* @__PURE__ */ new Map();
        this[kImpl].nextFlushId = 0;
        this[kImpl].flushRetainCount = 0;
        this[kImpl].userRef = true;
        this.worker = createWorker(this, opts);
        this.on("message", (message, transferList) => {
          this.worker.postMessage(message, transferList);
        });
      }
      write(data) {
        const dataBuf = Buffer.isBuffer(data) ? data : Buffer.from(data);
        if (this[kImpl].destroyed) {
          error(this, new Error("the worker has exited"));
          return false;
        }
        if (this[kImpl].ending) {
          error(this, new Error("the worker is ending"));
          return false;
        }
        if (this[kImpl].flushing && this[kImpl].bufLen + dataBuf.length >= MAX_STRING) {
          try {
            writeSync(this);
            this[kImpl].flushing = true;
          } catch (err) {
            destroy(this, err);
            return false;
          }
        }
        this[kImpl].buf.push(dataBuf);
        this[kImpl].bufLen += dataBuf.length;
        if (this[kImpl].sync) {
          try {
            writeSync(this);
            return true;
          } catch (err) {
            destroy(this, err);
            return false;
          }
        }
        if (!this[kImpl].flushing) {
          this[kImpl].flushing = true;
          setImmediate(nextFlush, this);
        }
        this[kImpl].needDrain = this[kImpl].data.length - this[kImpl].bufLen - Atomics.load(this[kImpl].state, WRITE_INDEX) <= 0;
        return !this[kImpl].needDrain;
      }
      end() {
        if (this[kImpl].destroyed) {
          return;
        }
        this[kImpl].ending = true;
        this.worker.stream = new FakeWeakRef(this);
        end(this);
      }
      flush(cb) {
        const userCb = typeof cb === "function" ? cb : null;
        cb = userCb || noop3;
        if (userCb) {
          retainWorkerForPendingFlush(this);
        }
        let finished7 = false;
        const done = (err) => {
          if (finished7) {
            return;
          }
          finished7 = true;
          if (userCb) {
            releaseWorkerForPendingFlush(this);
          }
          cb(err);
        };
        flushBuffer(this, (err) => {
          if (err) {
            process.nextTick(done, err);
            return;
          }
          requestWorkerFlush(this, done);
        });
      }
      flushSync() {
        if (this[kImpl].destroyed) {
          return;
        }
        writeSync(this);
        flushSync(this);
      }
      unref() {
        this[kImpl].userRef = false;
        if (this[kImpl].flushRetainCount === 0) {
          this.worker.unref();
        }
      }
      ref() {
        this[kImpl].userRef = true;
        this.worker.ref();
      }
      get ready() {
        return this[kImpl].ready;
      }
      get destroyed() {
        return this[kImpl].destroyed;
      }
      get closed() {
        return this[kImpl].closed;
      }
      get writable() {
        return !this[kImpl].destroyed && !this[kImpl].ending;
      }
      get writableEnded() {
        return this[kImpl].ending;
      }
      get writableFinished() {
        return this[kImpl].finished;
      }
      get writableNeedDrain() {
        return this[kImpl].needDrain;
      }
      get writableObjectMode() {
        return false;
      }
      get writableErrored() {
        return this[kImpl].errored;
      }
    };
    function flushBuffer(stream, cb) {
      if (stream[kImpl].destroyed) {
        process.nextTick(cb, new Error("the worker has exited"));
        return;
      }
      if (!stream[kImpl].sync && (stream[kImpl].flushing || stream[kImpl].bufLen > 0)) {
        setImmediate(flushBuffer, stream, cb);
        return;
      }
      waitForRead(stream, cb);
    }
    function waitForRead(stream, cb) {
      const writeIndex = Atomics.load(stream[kImpl].state, WRITE_INDEX);
      wait(stream[kImpl].state, READ_INDEX, writeIndex, Infinity, (err, res) => {
        if (err) {
          destroy(stream, err);
          cb(err);
          return;
        }
        if (res !== "ok") {
          waitForRead(stream, cb);
          return;
        }
        cb();
      });
    }
    function retainWorkerForPendingFlush(stream) {
      if (stream[kImpl].flushRetainCount === 0) {
        stream.worker.ref();
      }
      stream[kImpl].flushRetainCount++;
    }
    function releaseWorkerForPendingFlush(stream) {
      if (stream[kImpl].flushRetainCount === 0) {
        return;
      }
      stream[kImpl].flushRetainCount--;
      if (stream[kImpl].flushRetainCount === 0 && !stream[kImpl].userRef) {
        stream.worker.unref();
      }
    }
    function requestWorkerFlush(stream, cb) {
      if (stream[kImpl].destroyed) {
        process.nextTick(cb, new Error("the worker has exited"));
        return;
      }
      if (!stream[kImpl].ready) {
        const onReady = () => {
          cleanup();
          requestWorkerFlush(stream, cb);
        };
        const onClose = () => {
          cleanup();
          process.nextTick(cb, new Error("the worker has exited"));
        };
        const cleanup = () => {
          stream.off("ready", onReady);
          stream.off("close", onClose);
        };
        stream.once("ready", onReady);
        stream.once("close", onClose);
        return;
      }
      const id = ++stream[kImpl].nextFlushId;
      stream[kImpl].flushCallbacks.set(id, cb);
      try {
        stream.worker.postMessage({
          code: "FLUSH",
          context: "thread-stream",
          id
        });
      } catch (err) {
        stream[kImpl].flushCallbacks.delete(id);
        destroy(stream, err);
        process.nextTick(cb, err);
      }
    }
    function failPendingFlushCallbacks(stream, err) {
      const callbacks = stream[kImpl].flushCallbacks;
      if (callbacks.size === 0) {
        return;
      }
      const flushErr = err || new Error("the worker has exited");
      for (const cb of callbacks.values()) {
        process.nextTick(cb, flushErr);
      }
      callbacks.clear();
    }
    function error(stream, err) {
      setImmediate(() => {
        stream.emit("error", err);
      });
    }
    function destroy(stream, err) {
      if (stream[kImpl].destroyed) {
        return;
      }
      stream[kImpl].destroyed = true;
      failPendingFlushCallbacks(stream, err);
      if (err) {
        stream[kImpl].errored = err;
        error(stream, err);
      }
      if (!stream.worker.exited) {
        stream.worker.terminate().catch(() => {
        }).then(() => {
          stream[kImpl].closed = true;
          stream.emit("close");
        });
      } else {
        setImmediate(() => {
          stream[kImpl].closed = true;
          stream.emit("close");
        });
      }
    }
    function write(stream, maxBytes, cb) {
      const current = Atomics.load(stream[kImpl].state, WRITE_INDEX);
      let offset = current;
      let remaining = maxBytes;
      while (remaining > 0 && stream[kImpl].bufLen !== 0) {
        const head = stream[kImpl].bufHead;
        const buf = stream[kImpl].buf[head];
        if (buf.length <= remaining) {
          buf.copy(stream[kImpl].data, offset);
          offset += buf.length;
          remaining -= buf.length;
          stream[kImpl].bufLen -= buf.length;
          stream[kImpl].bufHead = head + 1;
          if (stream[kImpl].bufHead === stream[kImpl].buf.length) {
            stream[kImpl].buf.length = 0;
            stream[kImpl].bufHead = 0;
          } else if (stream[kImpl].bufHead >= 1024 && stream[kImpl].bufHead * 2 >= stream[kImpl].buf.length) {
            stream[kImpl].buf.splice(0, stream[kImpl].bufHead);
            stream[kImpl].bufHead = 0;
          }
          continue;
        }
        buf.copy(stream[kImpl].data, offset, 0, remaining);
        stream[kImpl].buf[head] = buf.subarray(remaining);
        stream[kImpl].bufLen -= remaining;
        offset += remaining;
        remaining = 0;
      }
      updateState(stream, () => {
        Atomics.store(stream[kImpl].state, WRITE_INDEX, offset);
      });
      cb();
      return true;
    }
    function end(stream) {
      if (stream[kImpl].ended || !stream[kImpl].ending || stream[kImpl].flushing) {
        return;
      }
      stream[kImpl].ended = true;
      try {
        stream.flushSync();
        let readIndex = Atomics.load(stream[kImpl].state, READ_INDEX);
        updateState(stream, () => {
          Atomics.store(stream[kImpl].state, WRITE_INDEX, -1);
        });
        let spins = 0;
        while (readIndex !== -1) {
          Atomics.wait(stream[kImpl].state, READ_INDEX, readIndex, 1e3);
          readIndex = Atomics.load(stream[kImpl].state, READ_INDEX);
          if (readIndex === -2) {
            destroy(stream, new Error("end() failed"));
            return;
          }
          if (++spins === 10) {
            destroy(stream, new Error("end() took too long (10s)"));
            return;
          }
        }
        process.nextTick(() => {
          stream[kImpl].finished = true;
          stream.emit("finish");
        });
      } catch (err) {
        destroy(stream, err);
      }
    }
    function writeSync(stream) {
      const cb = () => {
        if (stream[kImpl].ending) {
          end(stream);
        } else if (stream[kImpl].needDrain) {
          process.nextTick(drain, stream);
        }
      };
      stream[kImpl].flushing = false;
      while (stream[kImpl].bufLen !== 0) {
        const writeIndex = Atomics.load(stream[kImpl].state, WRITE_INDEX);
        if (writeIndex < 0) {
          throw new Error("_writeSync failed");
        }
        const leftover = stream[kImpl].data.length - writeIndex;
        if (leftover === 0) {
          flushSync(stream);
          resetIndexes(stream);
          continue;
        } else if (leftover < 0) {
          throw new Error("overwritten");
        }
        write(stream, leftover, cb);
      }
    }
    function flushSync(stream) {
      if (stream[kImpl].flushing) {
        throw new Error("unable to flush while flushing");
      }
      const writeIndex = Atomics.load(stream[kImpl].state, WRITE_INDEX);
      let spins = 0;
      while (true) {
        const readIndex = Atomics.load(stream[kImpl].state, READ_INDEX);
        if (readIndex === -2) {
          throw Error("_flushSync failed");
        }
        if (readIndex !== writeIndex) {
          Atomics.wait(stream[kImpl].state, READ_INDEX, readIndex, 1e3);
        } else {
          break;
        }
        if (++spins === 10) {
          throw new Error("_flushSync took too long (10s)");
        }
      }
    }
    module.exports = ThreadStream;
  }
});

// node_modules/pino/lib/transport.js
var require_transport = __commonJS({
  "node_modules/pino/lib/transport.js"(exports, module) {
    "use strict";
    var { createRequire } = __require("module");
    var { existsSync: existsSync3 } = __require("node:fs");
    var getCallers = require_caller();
    var { join: join28, isAbsolute: isAbsolute5, sep: sep6 } = __require("node:path");
    var { fileURLToPath: fileURLToPath4 } = __require("node:url");
    var sleep4 = require_atomic_sleep();
    var onExit2 = require_on_exit_leak_free();
    var ThreadStream = require_thread_stream();
    var { transportUsesMultistreamSym } = require_symbols();
    function setupOnExit(stream) {
      onExit2.register(stream, autoEnd);
      onExit2.registerBeforeExit(stream, flush);
      stream.on("close", function() {
        onExit2.unregister(stream);
      });
    }
    function hasPreloadFlags() {
      const execArgv2 = process.execArgv;
      for (let i2 = 0; i2 < execArgv2.length; i2++) {
        const arg = execArgv2[i2];
        if (arg === "--import" || arg === "--require" || arg === "-r") {
          return true;
        }
        if (arg.startsWith("--import=") || arg.startsWith("--require=") || arg.startsWith("-r=")) {
          return true;
        }
      }
      return false;
    }
    function sanitizeNodeOptions(nodeOptions) {
      const tokens = nodeOptions.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g);
      if (!tokens) {
        return nodeOptions;
      }
      const sanitized = [];
      let changed = false;
      for (let i2 = 0; i2 < tokens.length; i2++) {
        const token = tokens[i2];
        if (token === "--require" || token === "-r" || token === "--import") {
          const next = tokens[i2 + 1];
          if (next && shouldDropPreload(next)) {
            changed = true;
            i2++;
            continue;
          }
          sanitized.push(token);
          if (next) {
            sanitized.push(next);
            i2++;
          }
          continue;
        }
        if (token.startsWith("--require=") || token.startsWith("-r=") || token.startsWith("--import=")) {
          const value = token.slice(token.indexOf("=") + 1);
          if (shouldDropPreload(value)) {
            changed = true;
            continue;
          }
        }
        sanitized.push(token);
      }
      return changed ? sanitized.join(" ") : nodeOptions;
    }
    function shouldDropPreload(value) {
      const unquoted = stripQuotes(value);
      if (!unquoted) {
        return false;
      }
      let path6 = unquoted;
      if (path6.startsWith("file://")) {
        try {
          path6 = fileURLToPath4(path6);
        } catch {
          return false;
        }
      }
      return isAbsolute5(path6) && !existsSync3(path6);
    }
    function stripQuotes(value) {
      const first = value[0];
      const last = value[value.length - 1];
      if (first === '"' && last === '"' || first === "'" && last === "'") {
        return value.slice(1, -1);
      }
      return value;
    }
    function buildStream(filename, workerData, workerOpts, sync, name) {
      if (!workerOpts.execArgv && hasPreloadFlags() && __require.main === void 0) {
        workerOpts = {
          ...workerOpts,
          execArgv: []
        };
      }
      if (!workerOpts.env && process.env.NODE_OPTIONS) {
        const nodeOptions = sanitizeNodeOptions(process.env.NODE_OPTIONS);
        if (nodeOptions !== process.env.NODE_OPTIONS) {
          workerOpts = {
            ...workerOpts,
            env: {
              ...process.env,
              NODE_OPTIONS: nodeOptions
            }
          };
        }
      }
      workerOpts = { ...workerOpts, name };
      const stream = new ThreadStream({
        filename,
        workerData,
        workerOpts,
        sync
      });
      stream.on("ready", onReady);
      stream.on("close", function() {
        process.removeListener("exit", onExit3);
      });
      process.on("exit", onExit3);
      function onReady() {
        process.removeListener("exit", onExit3);
        stream.unref();
        if (workerOpts.autoEnd !== false) {
          setupOnExit(stream);
        }
      }
      function onExit3() {
        if (stream.closed) {
          return;
        }
        stream.flushSync();
        sleep4(100);
        stream.end();
      }
      return stream;
    }
    function autoEnd(stream) {
      stream.ref();
      stream.flushSync();
      stream.end();
      stream.once("close", function() {
        stream.unref();
      });
    }
    function flush(stream) {
      stream.flushSync();
    }
    function transport(fullOptions) {
      const { pipeline: pipeline4, targets, levels, dedupe, worker = {}, caller = getCallers(), sync = false } = fullOptions;
      const options = {
        ...fullOptions.options
      };
      let usesMultistream = false;
      const callers = typeof caller === "string" ? [caller] : caller;
      const bundlerOverrides = typeof globalThis === "object" && Object.prototype.hasOwnProperty.call(globalThis, "__bundlerPathsOverrides") && globalThis.__bundlerPathsOverrides && typeof globalThis.__bundlerPathsOverrides === "object" ? globalThis.__bundlerPathsOverrides : /* @__PURE__ */ Object.create(null);
      let target = fullOptions.target;
      if (target && targets) {
        throw new Error("only one of target or targets can be specified");
      }
      if (targets) {
        target = bundlerOverrides["pino-worker"] || join28(__dirname, "worker.js");
        options.targets = targets.filter((dest) => dest.target).map((dest) => {
          return {
            ...dest,
            target: fixTarget(dest.target)
          };
        });
        options.pipelines = targets.filter((dest) => dest.pipeline).map((dest) => {
          return dest.pipeline.map((t) => {
            return {
              ...t,
              level: dest.level,
              // duplicate the pipeline `level` property defined in the upper level
              target: fixTarget(t.target)
            };
          });
        });
        const targetsHaveLevel = options.targets.some((t) => t.level != null);
        const pipelinesHaveLevel = options.pipelines.some((p) => p.some((t) => t.level != null));
        usesMultistream = options.targets.length + options.pipelines.length > 1 || targetsHaveLevel || pipelinesHaveLevel;
      } else if (pipeline4) {
        target = bundlerOverrides["pino-worker"] || join28(__dirname, "worker.js");
        options.pipelines = [pipeline4.map((dest) => {
          return {
            ...dest,
            target: fixTarget(dest.target)
          };
        })];
      }
      if (levels) {
        options.levels = levels;
      }
      if (dedupe) {
        options.dedupe = dedupe;
      }
      options.pinoWillSendConfig = true;
      const name = targets || pipeline4 ? "pino.transport" : target;
      const stream = buildStream(fixTarget(target), options, worker, sync, name);
      if (usesMultistream) {
        stream[transportUsesMultistreamSym] = true;
      }
      return stream;
      function fixTarget(origin) {
        origin = bundlerOverrides[origin] || origin;
        if (isAbsolute5(origin) || origin.indexOf("file://") === 0) {
          return origin;
        }
        if (origin === "pino/file") {
          return join28(__dirname, "..", "file.js");
        }
        let fixTarget2;
        for (const filePath of callers) {
          try {
            const context = filePath === "node:repl" ? process.cwd() + sep6 : filePath;
            fixTarget2 = createRequire(context).resolve(origin);
            break;
          } catch (err) {
            continue;
          }
        }
        if (!fixTarget2) {
          throw new Error(`unable to determine transport target for "${origin}"`);
        }
        return fixTarget2;
      }
    }
    module.exports = transport;
  }
});

// node_modules/pino/lib/tools.js
var require_tools = __commonJS({
  "node_modules/pino/lib/tools.js"(exports, module) {
    "use strict";
    var diagChan = __require("node:diagnostics_channel");
    var format2 = require_quick_format_unescaped();
    var { mapHttpRequest, mapHttpResponse } = require_pino_std_serializers();
    var SonicBoom = require_sonic_boom();
    var onExit2 = require_on_exit_leak_free();
    var {
      lsCacheSym,
      chindingsSym,
      writeSym,
      serializersSym,
      formatOptsSym,
      endSym,
      stringifiersSym,
      stringifySym,
      stringifySafeSym,
      wildcardFirstSym,
      nestedKeySym,
      formattersSym,
      messageKeySym,
      errorKeySym,
      nestedKeyStrSym,
      msgPrefixSym
    } = require_symbols();
    var { isMainThread } = __require("worker_threads");
    var transport = require_transport();
    var [nodeMajor] = process.versions.node.split(".").map((v) => Number(v));
    var asJsonChan = diagChan.tracingChannel("pino_asJson");
    var asString = nodeMajor >= 25 ? (str) => JSON.stringify(str) : _asString;
    function noop3() {
    }
    function genLog(level, hook) {
      if (!hook) return LOG;
      return function hookWrappedLog(...args) {
        hook.call(this, args, LOG, level);
      };
      function LOG(o2, ...n2) {
        if (typeof o2 === "object") {
          let msg = o2;
          if (o2 !== null) {
            if (o2.method && o2.headers && o2.socket) {
              o2 = mapHttpRequest(o2);
            } else if (typeof o2.setHeader === "function") {
              o2 = mapHttpResponse(o2);
            }
          }
          let formatParams;
          if (msg === null && n2.length === 0) {
            formatParams = [null];
          } else {
            msg = n2.shift();
            formatParams = n2;
          }
          if (typeof this[msgPrefixSym] === "string" && msg !== void 0 && msg !== null) {
            msg = this[msgPrefixSym] + msg;
          }
          this[writeSym](o2, format2(msg, formatParams, this[formatOptsSym]), level);
        } else {
          let msg = o2 === void 0 ? n2.shift() : o2;
          if (typeof this[msgPrefixSym] === "string" && msg !== void 0 && msg !== null) {
            msg = this[msgPrefixSym] + msg;
          }
          this[writeSym](null, format2(msg, n2, this[formatOptsSym]), level);
        }
      }
    }
    function _asString(str) {
      let result = "";
      let last = 0;
      let found = false;
      let point = 255;
      const l = str.length;
      if (l > 100) {
        return JSON.stringify(str);
      }
      for (var i2 = 0; i2 < l && point >= 32; i2++) {
        point = str.charCodeAt(i2);
        if (point === 34 || point === 92) {
          result += str.slice(last, i2) + "\\";
          last = i2;
          found = true;
        }
      }
      if (!found) {
        result = str;
      } else {
        result += str.slice(last);
      }
      return point < 32 ? JSON.stringify(str) : '"' + result + '"';
    }
    function asJson(obj, msg, num, time) {
      if (asJsonChan.hasSubscribers === false) {
        return _asJson.call(this, obj, msg, num, time);
      }
      const store = { instance: this, arguments };
      return asJsonChan.traceSync(_asJson, store, this, obj, msg, num, time);
    }
    function _asJson(obj, msg, num, time) {
      const stringify2 = this[stringifySym];
      const stringifySafe = this[stringifySafeSym];
      const stringifiers = this[stringifiersSym];
      const end = this[endSym];
      const chindings = this[chindingsSym];
      const serializers = this[serializersSym];
      const formatters = this[formattersSym];
      const messageKey = this[messageKeySym];
      const errorKey = this[errorKeySym];
      let data = this[lsCacheSym][num] + time;
      data = data + chindings;
      let value;
      if (formatters.log) {
        obj = formatters.log(obj);
      }
      const wildcardStringifier = stringifiers[wildcardFirstSym];
      let propStr = "";
      for (const key in obj) {
        value = obj[key];
        if (Object.prototype.hasOwnProperty.call(obj, key) && value !== void 0) {
          if (serializers[key]) {
            value = serializers[key](value);
          } else if (key === errorKey && serializers.err) {
            value = serializers.err(value);
          }
          const stringifier = stringifiers[key] || wildcardStringifier;
          switch (typeof value) {
            case "undefined":
            case "function":
              continue;
            case "number":
              if (Number.isFinite(value) === false) {
                value = null;
              }
            // this case explicitly falls through to the next one
            case "boolean":
              if (stringifier) value = stringifier(value);
              break;
            case "string":
              value = (stringifier || asString)(value);
              break;
            default:
              value = (stringifier || stringify2)(value, stringifySafe);
          }
          if (value === void 0) continue;
          const strKey = asString(key);
          propStr += "," + strKey + ":" + value;
        }
      }
      let msgStr = "";
      if (msg !== void 0) {
        value = serializers[messageKey] ? serializers[messageKey](msg) : msg;
        const stringifier = stringifiers[messageKey] || wildcardStringifier;
        switch (typeof value) {
          case "function":
            break;
          case "number":
            if (Number.isFinite(value) === false) {
              value = null;
            }
          // this case explicitly falls through to the next one
          case "boolean":
            if (stringifier) value = stringifier(value);
            msgStr = ',"' + messageKey + '":' + value;
            break;
          case "string":
            value = (stringifier || asString)(value);
            msgStr = ',"' + messageKey + '":' + value;
            break;
          default:
            value = (stringifier || stringify2)(value, stringifySafe);
            msgStr = ',"' + messageKey + '":' + value;
        }
      }
      if (this[nestedKeySym] && propStr) {
        return data + this[nestedKeyStrSym] + propStr.slice(1) + "}" + msgStr + end;
      } else {
        return data + propStr + msgStr + end;
      }
    }
    function asChindings(instance, bindings) {
      let value;
      let data = instance[chindingsSym];
      const stringify2 = instance[stringifySym];
      const stringifySafe = instance[stringifySafeSym];
      const stringifiers = instance[stringifiersSym];
      const wildcardStringifier = stringifiers[wildcardFirstSym];
      const serializers = instance[serializersSym];
      const formatter = instance[formattersSym].bindings;
      bindings = formatter(bindings);
      for (const key in bindings) {
        value = bindings[key];
        const valid = (key.length < 5 || key !== "level" && key !== "serializers" && key !== "formatters" && key !== "customLevels") && bindings.hasOwnProperty(key) && value !== void 0;
        if (valid === true) {
          value = serializers[key] ? serializers[key](value) : value;
          value = (stringifiers[key] || wildcardStringifier || stringify2)(value, stringifySafe);
          if (value === void 0) continue;
          data += "," + asString(key) + ":" + value;
        }
      }
      return data;
    }
    function hasBeenTampered(stream) {
      return stream.write !== stream.constructor.prototype.write;
    }
    function buildSafeSonicBoom(opts) {
      const stream = new SonicBoom(opts);
      stream.on("error", filterBrokenPipe);
      if (!opts.sync && isMainThread) {
        onExit2.register(stream, autoEnd);
        stream.on("close", function() {
          onExit2.unregister(stream);
        });
      }
      return stream;
      function filterBrokenPipe(err) {
        if (err.code === "EPIPE") {
          stream.write = noop3;
          stream.end = noop3;
          stream.flushSync = noop3;
          stream.destroy = noop3;
          return;
        }
        stream.removeListener("error", filterBrokenPipe);
        stream.emit("error", err);
      }
    }
    function autoEnd(stream, eventName) {
      if (stream.destroyed) {
        return;
      }
      if (eventName === "beforeExit") {
        stream.flush();
        stream.on("drain", function() {
          stream.end();
        });
      } else {
        stream.flushSync();
      }
    }
    function createArgsNormalizer(defaultOptions) {
      return function normalizeArgs(instance, caller, opts = {}, stream) {
        if (typeof opts === "string") {
          stream = buildSafeSonicBoom({ dest: opts });
          opts = {};
        } else if (typeof stream === "string") {
          if (opts && opts.transport) {
            throw Error("only one of option.transport or stream can be specified");
          }
          stream = buildSafeSonicBoom({ dest: stream });
        } else if (opts instanceof SonicBoom || opts.writable || opts._writableState) {
          stream = opts;
          opts = {};
        } else if (opts.transport) {
          if (opts.transport instanceof SonicBoom || opts.transport.writable || opts.transport._writableState) {
            throw Error("option.transport do not allow stream, please pass to option directly. e.g. pino(transport)");
          }
          if (opts.transport.targets && opts.transport.targets.length && opts.formatters && typeof opts.formatters.level === "function") {
            throw Error("option.transport.targets do not allow custom level formatters");
          }
          let customLevels;
          if (opts.customLevels) {
            customLevels = opts.useOnlyCustomLevels ? opts.customLevels : Object.assign({}, opts.levels, opts.customLevels);
          }
          stream = transport({ caller, ...opts.transport, levels: customLevels });
        }
        opts = Object.assign({}, defaultOptions, opts);
        opts.serializers = Object.assign(/* @__PURE__ */ Object.create(null), defaultOptions.serializers, opts.serializers);
        opts.formatters = Object.assign({}, defaultOptions.formatters, opts.formatters);
        if (opts.prettyPrint) {
          throw new Error("prettyPrint option is no longer supported, see the pino-pretty package (https://github.com/pinojs/pino-pretty)");
        }
        const { enabled, onChild } = opts;
        if (enabled === false) opts.level = "silent";
        if (!onChild) opts.onChild = noop3;
        if (!stream) {
          if (!hasBeenTampered(process.stdout)) {
            stream = buildSafeSonicBoom({ fd: process.stdout.fd || 1 });
          } else {
            stream = process.stdout;
          }
        }
        return { opts, stream };
      };
    }
    function stringify(obj, stringifySafeFn) {
      try {
        return JSON.stringify(obj);
      } catch (_) {
        try {
          const stringify2 = stringifySafeFn || this[stringifySafeSym];
          return stringify2(obj);
        } catch (_2) {
          return '"[unable to serialize, circular reference is too complex to analyze]"';
        }
      }
    }
    function buildFormatters(level, bindings, log) {
      return {
        level,
        bindings,
        log
      };
    }
    function normalizeDestFileDescriptor(destination) {
      const fd = Number(destination);
      if (typeof destination === "string" && Number.isFinite(fd)) {
        return fd;
      }
      if (destination === void 0) {
        return 1;
      }
      return destination;
    }
    module.exports = {
      noop: noop3,
      buildSafeSonicBoom,
      asChindings,
      asJson,
      genLog,
      createArgsNormalizer,
      stringify,
      buildFormatters,
      normalizeDestFileDescriptor
    };
  }
});

// node_modules/pino/lib/constants.js
var require_constants = __commonJS({
  "node_modules/pino/lib/constants.js"(exports, module) {
    var DEFAULT_LEVELS = {
      trace: 10,
      debug: 20,
      info: 30,
      warn: 40,
      error: 50,
      fatal: 60
    };
    var SORTING_ORDER = {
      ASC: "ASC",
      DESC: "DESC"
    };
    module.exports = {
      DEFAULT_LEVELS,
      SORTING_ORDER
    };
  }
});

// node_modules/pino/lib/levels.js
var require_levels = __commonJS({
  "node_modules/pino/lib/levels.js"(exports, module) {
    "use strict";
    var {
      lsCacheSym,
      levelValSym,
      useOnlyCustomLevelsSym,
      streamSym,
      formattersSym,
      hooksSym,
      levelCompSym
    } = require_symbols();
    var { noop: noop3, genLog } = require_tools();
    var { DEFAULT_LEVELS, SORTING_ORDER } = require_constants();
    var levelMethods = {
      fatal: (hook) => {
        const logFatal = genLog(DEFAULT_LEVELS.fatal, hook);
        return function(...args) {
          const stream = this[streamSym];
          logFatal.call(this, ...args);
          if (typeof stream.flushSync === "function") {
            try {
              stream.flushSync();
            } catch (e) {
            }
          }
        };
      },
      error: (hook) => genLog(DEFAULT_LEVELS.error, hook),
      warn: (hook) => genLog(DEFAULT_LEVELS.warn, hook),
      info: (hook) => genLog(DEFAULT_LEVELS.info, hook),
      debug: (hook) => genLog(DEFAULT_LEVELS.debug, hook),
      trace: (hook) => genLog(DEFAULT_LEVELS.trace, hook)
    };
    var nums = Object.keys(DEFAULT_LEVELS).reduce((o2, k) => {
      o2[DEFAULT_LEVELS[k]] = k;
      return o2;
    }, {});
    var initialLsCache = Object.keys(nums).reduce((o2, k) => {
      o2[k] = '{"level":' + Number(k);
      return o2;
    }, {});
    function genLsCache(instance) {
      const formatter = instance[formattersSym].level;
      const { labels } = instance.levels;
      const cache = {};
      for (const label in labels) {
        const level = formatter(labels[label], Number(label));
        cache[label] = JSON.stringify(level).slice(0, -1);
      }
      instance[lsCacheSym] = cache;
      return instance;
    }
    function isStandardLevel(level, useOnlyCustomLevels) {
      if (useOnlyCustomLevels) {
        return false;
      }
      switch (level) {
        case "fatal":
        case "error":
        case "warn":
        case "info":
        case "debug":
        case "trace":
          return true;
        default:
          return false;
      }
    }
    function setLevel(level) {
      const { labels, values } = this.levels;
      if (typeof level === "number") {
        if (labels[level] === void 0) throw Error("unknown level value" + level);
        level = labels[level];
      }
      if (values[level] === void 0) throw Error("unknown level " + level);
      const preLevelVal = this[levelValSym];
      const levelVal = this[levelValSym] = values[level];
      const useOnlyCustomLevelsVal = this[useOnlyCustomLevelsSym];
      const levelComparison = this[levelCompSym];
      const hook = this[hooksSym].logMethod;
      for (const key in values) {
        if (levelComparison(values[key], levelVal) === false) {
          this[key] = noop3;
          continue;
        }
        this[key] = isStandardLevel(key, useOnlyCustomLevelsVal) ? levelMethods[key](hook) : genLog(values[key], hook);
      }
      this.emit(
        "level-change",
        level,
        levelVal,
        labels[preLevelVal],
        preLevelVal,
        this
      );
    }
    function getLevel(level) {
      const { levels, levelVal } = this;
      return levels && levels.labels ? levels.labels[levelVal] : "";
    }
    function isLevelEnabled(logLevel) {
      const { values } = this.levels;
      const logLevelVal = values[logLevel];
      return logLevelVal !== void 0 && this[levelCompSym](logLevelVal, this[levelValSym]);
    }
    function compareLevel(direction, current, expected) {
      if (direction === SORTING_ORDER.DESC) {
        return current <= expected;
      }
      return current >= expected;
    }
    function genLevelComparison(levelComparison) {
      if (typeof levelComparison === "string") {
        return compareLevel.bind(null, levelComparison);
      }
      return levelComparison;
    }
    function mappings(customLevels = null, useOnlyCustomLevels = false) {
      const customNums = customLevels ? Object.keys(customLevels).reduce((o2, k) => {
        o2[customLevels[k]] = k;
        return o2;
      }, {}) : null;
      const labels = Object.assign(
        Object.create(Object.prototype, { Infinity: { value: "silent" } }),
        useOnlyCustomLevels ? null : nums,
        customNums
      );
      const values = Object.assign(
        Object.create(Object.prototype, { silent: { value: Infinity } }),
        useOnlyCustomLevels ? null : DEFAULT_LEVELS,
        customLevels
      );
      return { labels, values };
    }
    function assertDefaultLevelFound(defaultLevel, customLevels, useOnlyCustomLevels) {
      if (typeof defaultLevel === "number") {
        const values = [].concat(
          Object.keys(customLevels || {}).map((key) => customLevels[key]),
          useOnlyCustomLevels ? [] : Object.keys(nums).map((level) => +level),
          Infinity
        );
        if (!values.includes(defaultLevel)) {
          throw Error(`default level:${defaultLevel} must be included in custom levels`);
        }
        return;
      }
      const labels = Object.assign(
        Object.create(Object.prototype, { silent: { value: Infinity } }),
        useOnlyCustomLevels ? null : DEFAULT_LEVELS,
        customLevels
      );
      if (!(defaultLevel in labels)) {
        throw Error(`default level:${defaultLevel} must be included in custom levels`);
      }
    }
    function assertNoLevelCollisions(levels, customLevels) {
      const { labels, values } = levels;
      for (const k in customLevels) {
        if (k in values) {
          throw Error("levels cannot be overridden");
        }
        if (customLevels[k] in labels) {
          throw Error("pre-existing level values cannot be used for new levels");
        }
      }
    }
    function assertLevelComparison(levelComparison) {
      if (typeof levelComparison === "function") {
        return;
      }
      if (typeof levelComparison === "string" && Object.values(SORTING_ORDER).includes(levelComparison)) {
        return;
      }
      throw new Error('Levels comparison should be one of "ASC", "DESC" or "function" type');
    }
    module.exports = {
      initialLsCache,
      genLsCache,
      levelMethods,
      getLevel,
      setLevel,
      isLevelEnabled,
      mappings,
      assertNoLevelCollisions,
      assertDefaultLevelFound,
      genLevelComparison,
      assertLevelComparison
    };
  }
});

// node_modules/pino/lib/meta.js
var require_meta = __commonJS({
  "node_modules/pino/lib/meta.js"(exports, module) {
    "use strict";
    module.exports = { version: "10.4.0" };
  }
});

// node_modules/pino/lib/proto.js
var require_proto = __commonJS({
  "node_modules/pino/lib/proto.js"(exports, module) {
    "use strict";
    var { EventEmitter: EventEmitter2 } = __require("node:events");
    var {
      lsCacheSym,
      levelValSym,
      setLevelSym,
      getLevelSym,
      chindingsSym,
      mixinSym,
      asJsonSym,
      writeSym,
      mixinMergeStrategySym,
      timeSym,
      timeSliceIndexSym,
      streamSym,
      serializersSym,
      formattersSym,
      errorKeySym,
      messageKeySym,
      useOnlyCustomLevelsSym,
      needsMetadataGsym,
      redactFmtSym,
      stringifySym,
      formatOptsSym,
      stringifiersSym,
      msgPrefixSym,
      hooksSym
    } = require_symbols();
    var {
      getLevel,
      setLevel,
      isLevelEnabled,
      mappings,
      initialLsCache,
      genLsCache,
      assertNoLevelCollisions
    } = require_levels();
    var {
      asChindings,
      asJson,
      buildFormatters,
      stringify,
      noop: noop3
    } = require_tools();
    var {
      version
    } = require_meta();
    var redaction = require_redaction();
    var constructor = class Pino {
    };
    var prototype = {
      constructor,
      child,
      bindings,
      setBindings,
      flush,
      isLevelEnabled,
      version,
      get level() {
        return this[getLevelSym]();
      },
      set level(lvl) {
        this[setLevelSym](lvl);
      },
      get levelVal() {
        return this[levelValSym];
      },
      set levelVal(n2) {
        throw Error("levelVal is read-only");
      },
      get msgPrefix() {
        return this[msgPrefixSym];
      },
      get [Symbol.toStringTag]() {
        return "Pino";
      },
      [lsCacheSym]: initialLsCache,
      [writeSym]: write,
      [asJsonSym]: asJson,
      [getLevelSym]: getLevel,
      [setLevelSym]: setLevel
    };
    Object.setPrototypeOf(prototype, EventEmitter2.prototype);
    module.exports = function() {
      return Object.create(prototype);
    };
    var resetChildingsFormatter = (bindings2) => bindings2;
    function child(bindings2, options) {
      if (!bindings2) {
        throw Error("missing bindings for child Pino");
      }
      const serializers = this[serializersSym];
      const formatters = this[formattersSym];
      const instance = Object.create(this);
      if (options == null) {
        if (instance[formattersSym].bindings !== resetChildingsFormatter) {
          instance[formattersSym] = buildFormatters(
            formatters.level,
            resetChildingsFormatter,
            formatters.log
          );
        }
        instance[chindingsSym] = asChindings(instance, bindings2);
        if (this.onChild !== noop3) {
          this.onChild(instance);
        }
        return instance;
      }
      if (options.hasOwnProperty("serializers") === true) {
        instance[serializersSym] = /* @__PURE__ */ Object.create(null);
        for (const k in serializers) {
          instance[serializersSym][k] = serializers[k];
        }
        const parentSymbols = Object.getOwnPropertySymbols(serializers);
        for (var i2 = 0; i2 < parentSymbols.length; i2++) {
          const ks = parentSymbols[i2];
          instance[serializersSym][ks] = serializers[ks];
        }
        for (const bk in options.serializers) {
          instance[serializersSym][bk] = options.serializers[bk];
        }
        const bindingsSymbols = Object.getOwnPropertySymbols(options.serializers);
        for (var bi = 0; bi < bindingsSymbols.length; bi++) {
          const bks = bindingsSymbols[bi];
          instance[serializersSym][bks] = options.serializers[bks];
        }
      } else instance[serializersSym] = serializers;
      if (options.hasOwnProperty("formatters")) {
        const { level, bindings: chindings, log } = options.formatters;
        instance[formattersSym] = buildFormatters(
          level || formatters.level,
          chindings || resetChildingsFormatter,
          log || formatters.log
        );
      } else {
        instance[formattersSym] = buildFormatters(
          formatters.level,
          resetChildingsFormatter,
          formatters.log
        );
      }
      if (options.hasOwnProperty("customLevels") === true) {
        assertNoLevelCollisions(this.levels, options.customLevels);
        instance.levels = mappings(options.customLevels, instance[useOnlyCustomLevelsSym]);
        genLsCache(instance);
      }
      if (typeof options.redact === "object" && options.redact !== null || Array.isArray(options.redact)) {
        instance.redact = options.redact;
        const stringifiers = redaction(instance.redact, stringify);
        const formatOpts = { stringify: stringifiers[redactFmtSym] };
        instance[stringifySym] = stringify;
        instance[stringifiersSym] = stringifiers;
        instance[formatOptsSym] = formatOpts;
      }
      if (typeof options.msgPrefix === "string") {
        instance[msgPrefixSym] = (this[msgPrefixSym] || "") + options.msgPrefix;
      }
      instance[chindingsSym] = asChindings(instance, bindings2);
      if (options.level !== void 0 && options.level !== this.level || options.hasOwnProperty("customLevels")) {
        const childLevel = options.level || this.level;
        instance[setLevelSym](childLevel);
      }
      this.onChild(instance);
      return instance;
    }
    function bindings() {
      const chindings = this[chindingsSym];
      const chindingsJson = `{${chindings.substr(1)}}`;
      const bindingsFromJson = JSON.parse(chindingsJson);
      delete bindingsFromJson.pid;
      delete bindingsFromJson.hostname;
      return bindingsFromJson;
    }
    function setBindings(newBindings) {
      const chindings = asChindings(this, newBindings);
      this[chindingsSym] = chindings;
    }
    function defaultMixinMergeStrategy(mergeObject, mixinObject) {
      return Object.assign(mixinObject, mergeObject);
    }
    function write(_obj, msg, num) {
      const t = this[timeSym]();
      const mixin = this[mixinSym];
      const errorKey = this[errorKeySym];
      const messageKey = this[messageKeySym];
      const mixinMergeStrategy = this[mixinMergeStrategySym] || defaultMixinMergeStrategy;
      let obj;
      const streamWriteHook = this[hooksSym].streamWrite;
      if (_obj === void 0 || _obj === null) {
        obj = {};
      } else if (_obj instanceof Error) {
        obj = { [errorKey]: _obj };
        if (msg === void 0) {
          msg = _obj.message;
        }
      } else {
        obj = _obj;
        if (msg === void 0 && _obj[messageKey] === void 0 && _obj[errorKey]) {
          msg = _obj[errorKey].message;
        }
      }
      if (mixin) {
        obj = mixinMergeStrategy(obj, mixin(obj, num, this));
      }
      const s = this[asJsonSym](obj, msg, num, t);
      const stream = this[streamSym];
      if (stream[needsMetadataGsym] === true) {
        stream.lastLevel = num;
        stream.lastObj = obj;
        stream.lastMsg = msg;
        stream.lastTime = t.slice(this[timeSliceIndexSym]);
        stream.lastLogger = this;
      }
      stream.write(streamWriteHook ? streamWriteHook(s) : s);
    }
    function flush(cb) {
      if (cb != null && typeof cb !== "function") {
        throw Error("callback must be a function");
      }
      const stream = this[streamSym];
      if (typeof stream.flush === "function") {
        stream.flush(cb || noop3);
      } else if (cb) cb();
    }
  }
});

// node_modules/safe-stable-stringify/index.js
var require_safe_stable_stringify = __commonJS({
  "node_modules/safe-stable-stringify/index.js"(exports, module) {
    "use strict";
    var { hasOwnProperty } = Object.prototype;
    var stringify = configure();
    stringify.configure = configure;
    stringify.stringify = stringify;
    stringify.default = stringify;
    exports.stringify = stringify;
    exports.configure = configure;
    module.exports = stringify;
    var strEscapeSequencesRegExp = /[\u0000-\u001f\u0022\u005c\ud800-\udfff]/;
    function strEscape(str) {
      if (str.length < 5e3 && !strEscapeSequencesRegExp.test(str)) {
        return `"${str}"`;
      }
      return JSON.stringify(str);
    }
    function sort(array, comparator) {
      if (array.length > 200 || comparator) {
        return array.sort(comparator);
      }
      for (let i2 = 1; i2 < array.length; i2++) {
        const currentValue = array[i2];
        let position = i2;
        while (position !== 0 && array[position - 1] > currentValue) {
          array[position] = array[position - 1];
          position--;
        }
        array[position] = currentValue;
      }
      return array;
    }
    var typedArrayPrototypeGetSymbolToStringTag = Object.getOwnPropertyDescriptor(
      Object.getPrototypeOf(
        Object.getPrototypeOf(
          new Int8Array()
        )
      ),
      Symbol.toStringTag
    ).get;
    function isTypedArrayWithEntries(value) {
      return typedArrayPrototypeGetSymbolToStringTag.call(value) !== void 0 && value.length !== 0;
    }
    function stringifyTypedArray(array, separator, maximumBreadth) {
      if (array.length < maximumBreadth) {
        maximumBreadth = array.length;
      }
      const whitespace = separator === "," ? "" : " ";
      let res = `"0":${whitespace}${array[0]}`;
      for (let i2 = 1; i2 < maximumBreadth; i2++) {
        res += `${separator}"${i2}":${whitespace}${array[i2]}`;
      }
      return res;
    }
    function getCircularValueOption(options) {
      if (hasOwnProperty.call(options, "circularValue")) {
        const circularValue = options.circularValue;
        if (typeof circularValue === "string") {
          return `"${circularValue}"`;
        }
        if (circularValue == null) {
          return circularValue;
        }
        if (circularValue === Error || circularValue === TypeError) {
          return {
            toString() {
              throw new TypeError("Converting circular structure to JSON");
            }
          };
        }
        throw new TypeError('The "circularValue" argument must be of type string or the value null or undefined');
      }
      return '"[Circular]"';
    }
    function getDeterministicOption(options) {
      let value;
      if (hasOwnProperty.call(options, "deterministic")) {
        value = options.deterministic;
        if (typeof value !== "boolean" && typeof value !== "function") {
          throw new TypeError('The "deterministic" argument must be of type boolean or comparator function');
        }
      }
      return value === void 0 ? true : value;
    }
    function getBooleanOption(options, key) {
      let value;
      if (hasOwnProperty.call(options, key)) {
        value = options[key];
        if (typeof value !== "boolean") {
          throw new TypeError(`The "${key}" argument must be of type boolean`);
        }
      }
      return value === void 0 ? true : value;
    }
    function getPositiveIntegerOption(options, key) {
      let value;
      if (hasOwnProperty.call(options, key)) {
        value = options[key];
        if (typeof value !== "number") {
          throw new TypeError(`The "${key}" argument must be of type number`);
        }
        if (!Number.isInteger(value)) {
          throw new TypeError(`The "${key}" argument must be an integer`);
        }
        if (value < 1) {
          throw new RangeError(`The "${key}" argument must be >= 1`);
        }
      }
      return value === void 0 ? Infinity : value;
    }
    function getItemCount(number) {
      if (number === 1) {
        return "1 item";
      }
      return `${number} items`;
    }
    function getUniqueReplacerSet(replacerArray) {
      const replacerSet = /* @__PURE__ */ new Set();
      for (const value of replacerArray) {
        if (typeof value === "string" || typeof value === "number") {
          replacerSet.add(String(value));
        }
      }
      return replacerSet;
    }
    function getStrictOption(options) {
      if (hasOwnProperty.call(options, "strict")) {
        const value = options.strict;
        if (typeof value !== "boolean") {
          throw new TypeError('The "strict" argument must be of type boolean');
        }
        if (value) {
          return (value2) => {
            let message = `Object can not safely be stringified. Received type ${typeof value2}`;
            if (typeof value2 !== "function") message += ` (${value2.toString()})`;
            throw new Error(message);
          };
        }
      }
    }
    function configure(options) {
      options = { ...options };
      const fail = getStrictOption(options);
      if (fail) {
        if (options.bigint === void 0) {
          options.bigint = false;
        }
        if (!("circularValue" in options)) {
          options.circularValue = Error;
        }
      }
      const circularValue = getCircularValueOption(options);
      const bigint = getBooleanOption(options, "bigint");
      const deterministic = getDeterministicOption(options);
      const comparator = typeof deterministic === "function" ? deterministic : void 0;
      const maximumDepth = getPositiveIntegerOption(options, "maximumDepth");
      const maximumBreadth = getPositiveIntegerOption(options, "maximumBreadth");
      function stringifyFnReplacer(key, parent, stack, replacer, spacer, indentation) {
        let value = parent[key];
        if (typeof value === "object" && value !== null && typeof value.toJSON === "function") {
          value = value.toJSON(key);
        }
        value = replacer.call(parent, key, value);
        switch (typeof value) {
          case "string":
            return strEscape(value);
          case "object": {
            if (value === null) {
              return "null";
            }
            if (stack.indexOf(value) !== -1) {
              return circularValue;
            }
            let res = "";
            let join28 = ",";
            const originalIndentation = indentation;
            if (Array.isArray(value)) {
              if (value.length === 0) {
                return "[]";
              }
              if (maximumDepth < stack.length + 1) {
                return '"[Array]"';
              }
              stack.push(value);
              if (spacer !== "") {
                indentation += spacer;
                res += `
${indentation}`;
                join28 = `,
${indentation}`;
              }
              const maximumValuesToStringify = Math.min(value.length, maximumBreadth);
              let i2 = 0;
              for (; i2 < maximumValuesToStringify - 1; i2++) {
                const tmp2 = stringifyFnReplacer(String(i2), value, stack, replacer, spacer, indentation);
                res += tmp2 !== void 0 ? tmp2 : "null";
                res += join28;
              }
              const tmp = stringifyFnReplacer(String(i2), value, stack, replacer, spacer, indentation);
              res += tmp !== void 0 ? tmp : "null";
              if (value.length - 1 > maximumBreadth) {
                const removedKeys = value.length - maximumBreadth - 1;
                res += `${join28}"... ${getItemCount(removedKeys)} not stringified"`;
              }
              if (spacer !== "") {
                res += `
${originalIndentation}`;
              }
              stack.pop();
              return `[${res}]`;
            }
            let keys = Object.keys(value);
            const keyLength = keys.length;
            if (keyLength === 0) {
              return "{}";
            }
            if (maximumDepth < stack.length + 1) {
              return '"[Object]"';
            }
            let whitespace = "";
            let separator = "";
            if (spacer !== "") {
              indentation += spacer;
              join28 = `,
${indentation}`;
              whitespace = " ";
            }
            const maximumPropertiesToStringify = Math.min(keyLength, maximumBreadth);
            if (deterministic && !isTypedArrayWithEntries(value)) {
              keys = sort(keys, comparator);
            }
            stack.push(value);
            for (let i2 = 0; i2 < maximumPropertiesToStringify; i2++) {
              const key2 = keys[i2];
              const tmp = stringifyFnReplacer(key2, value, stack, replacer, spacer, indentation);
              if (tmp !== void 0) {
                res += `${separator}${strEscape(key2)}:${whitespace}${tmp}`;
                separator = join28;
              }
            }
            if (keyLength > maximumBreadth) {
              const removedKeys = keyLength - maximumBreadth;
              res += `${separator}"...":${whitespace}"${getItemCount(removedKeys)} not stringified"`;
              separator = join28;
            }
            if (spacer !== "" && separator.length > 1) {
              res = `
${indentation}${res}
${originalIndentation}`;
            }
            stack.pop();
            return `{${res}}`;
          }
          case "number":
            return isFinite(value) ? String(value) : fail ? fail(value) : "null";
          case "boolean":
            return value === true ? "true" : "false";
          case "undefined":
            return void 0;
          case "bigint":
            if (bigint) {
              return String(value);
            }
          // fallthrough
          default:
            return fail ? fail(value) : void 0;
        }
      }
      function stringifyArrayReplacer(key, value, stack, replacer, spacer, indentation) {
        if (typeof value === "object" && value !== null && typeof value.toJSON === "function") {
          value = value.toJSON(key);
        }
        switch (typeof value) {
          case "string":
            return strEscape(value);
          case "object": {
            if (value === null) {
              return "null";
            }
            if (stack.indexOf(value) !== -1) {
              return circularValue;
            }
            const originalIndentation = indentation;
            let res = "";
            let join28 = ",";
            if (Array.isArray(value)) {
              if (value.length === 0) {
                return "[]";
              }
              if (maximumDepth < stack.length + 1) {
                return '"[Array]"';
              }
              stack.push(value);
              if (spacer !== "") {
                indentation += spacer;
                res += `
${indentation}`;
                join28 = `,
${indentation}`;
              }
              const maximumValuesToStringify = Math.min(value.length, maximumBreadth);
              let i2 = 0;
              for (; i2 < maximumValuesToStringify - 1; i2++) {
                const tmp2 = stringifyArrayReplacer(String(i2), value[i2], stack, replacer, spacer, indentation);
                res += tmp2 !== void 0 ? tmp2 : "null";
                res += join28;
              }
              const tmp = stringifyArrayReplacer(String(i2), value[i2], stack, replacer, spacer, indentation);
              res += tmp !== void 0 ? tmp : "null";
              if (value.length - 1 > maximumBreadth) {
                const removedKeys = value.length - maximumBreadth - 1;
                res += `${join28}"... ${getItemCount(removedKeys)} not stringified"`;
              }
              if (spacer !== "") {
                res += `
${originalIndentation}`;
              }
              stack.pop();
              return `[${res}]`;
            }
            stack.push(value);
            let whitespace = "";
            if (spacer !== "") {
              indentation += spacer;
              join28 = `,
${indentation}`;
              whitespace = " ";
            }
            let separator = "";
            for (const key2 of replacer) {
              const tmp = stringifyArrayReplacer(key2, value[key2], stack, replacer, spacer, indentation);
              if (tmp !== void 0) {
                res += `${separator}${strEscape(key2)}:${whitespace}${tmp}`;
                separator = join28;
              }
            }
            if (spacer !== "" && separator.length > 1) {
              res = `
${indentation}${res}
${originalIndentation}`;
            }
            stack.pop();
            return `{${res}}`;
          }
          case "number":
            return isFinite(value) ? String(value) : fail ? fail(value) : "null";
          case "boolean":
            return value === true ? "true" : "false";
          case "undefined":
            return void 0;
          case "bigint":
            if (bigint) {
              return String(value);
            }
          // fallthrough
          default:
            return fail ? fail(value) : void 0;
        }
      }
      function stringifyIndent(key, value, stack, spacer, indentation) {
        switch (typeof value) {
          case "string":
            return strEscape(value);
          case "object": {
            if (value === null) {
              return "null";
            }
            if (typeof value.toJSON === "function") {
              value = value.toJSON(key);
              if (typeof value !== "object") {
                return stringifyIndent(key, value, stack, spacer, indentation);
              }
              if (value === null) {
                return "null";
              }
            }
            if (stack.indexOf(value) !== -1) {
              return circularValue;
            }
            const originalIndentation = indentation;
            if (Array.isArray(value)) {
              if (value.length === 0) {
                return "[]";
              }
              if (maximumDepth < stack.length + 1) {
                return '"[Array]"';
              }
              stack.push(value);
              indentation += spacer;
              let res2 = `
${indentation}`;
              const join29 = `,
${indentation}`;
              const maximumValuesToStringify = Math.min(value.length, maximumBreadth);
              let i2 = 0;
              for (; i2 < maximumValuesToStringify - 1; i2++) {
                const tmp2 = stringifyIndent(String(i2), value[i2], stack, spacer, indentation);
                res2 += tmp2 !== void 0 ? tmp2 : "null";
                res2 += join29;
              }
              const tmp = stringifyIndent(String(i2), value[i2], stack, spacer, indentation);
              res2 += tmp !== void 0 ? tmp : "null";
              if (value.length - 1 > maximumBreadth) {
                const removedKeys = value.length - maximumBreadth - 1;
                res2 += `${join29}"... ${getItemCount(removedKeys)} not stringified"`;
              }
              res2 += `
${originalIndentation}`;
              stack.pop();
              return `[${res2}]`;
            }
            let keys = Object.keys(value);
            const keyLength = keys.length;
            if (keyLength === 0) {
              return "{}";
            }
            if (maximumDepth < stack.length + 1) {
              return '"[Object]"';
            }
            indentation += spacer;
            const join28 = `,
${indentation}`;
            let res = "";
            let separator = "";
            let maximumPropertiesToStringify = Math.min(keyLength, maximumBreadth);
            if (isTypedArrayWithEntries(value)) {
              res += stringifyTypedArray(value, join28, maximumBreadth);
              keys = keys.slice(value.length);
              maximumPropertiesToStringify -= value.length;
              separator = join28;
            }
            if (deterministic) {
              keys = sort(keys, comparator);
            }
            stack.push(value);
            for (let i2 = 0; i2 < maximumPropertiesToStringify; i2++) {
              const key2 = keys[i2];
              const tmp = stringifyIndent(key2, value[key2], stack, spacer, indentation);
              if (tmp !== void 0) {
                res += `${separator}${strEscape(key2)}: ${tmp}`;
                separator = join28;
              }
            }
            if (keyLength > maximumBreadth) {
              const removedKeys = keyLength - maximumBreadth;
              res += `${separator}"...": "${getItemCount(removedKeys)} not stringified"`;
              separator = join28;
            }
            if (separator !== "") {
              res = `
${indentation}${res}
${originalIndentation}`;
            }
            stack.pop();
            return `{${res}}`;
          }
          case "number":
            return isFinite(value) ? String(value) : fail ? fail(value) : "null";
          case "boolean":
            return value === true ? "true" : "false";
          case "undefined":
            return void 0;
          case "bigint":
            if (bigint) {
              return String(value);
            }
          // fallthrough
          default:
            return fail ? fail(value) : void 0;
        }
      }
      function stringifySimple(key, value, stack) {
        switch (typeof value) {
          case "string":
            return strEscape(value);
          case "object": {
            if (value === null) {
              return "null";
            }
            if (typeof value.toJSON === "function") {
              value = value.toJSON(key);
              if (typeof value !== "object") {
                return stringifySimple(key, value, stack);
              }
              if (value === null) {
                return "null";
              }
            }
            if (stack.indexOf(value) !== -1) {
              return circularValue;
            }
            let res = "";
            const hasLength = value.length !== void 0;
            if (hasLength && Array.isArray(value)) {
              if (value.length === 0) {
                return "[]";
              }
              if (maximumDepth < stack.length + 1) {
                return '"[Array]"';
              }
              stack.push(value);
              const maximumValuesToStringify = Math.min(value.length, maximumBreadth);
              let i2 = 0;
              for (; i2 < maximumValuesToStringify - 1; i2++) {
                const tmp2 = stringifySimple(String(i2), value[i2], stack);
                res += tmp2 !== void 0 ? tmp2 : "null";
                res += ",";
              }
              const tmp = stringifySimple(String(i2), value[i2], stack);
              res += tmp !== void 0 ? tmp : "null";
              if (value.length - 1 > maximumBreadth) {
                const removedKeys = value.length - maximumBreadth - 1;
                res += `,"... ${getItemCount(removedKeys)} not stringified"`;
              }
              stack.pop();
              return `[${res}]`;
            }
            let keys = Object.keys(value);
            const keyLength = keys.length;
            if (keyLength === 0) {
              return "{}";
            }
            if (maximumDepth < stack.length + 1) {
              return '"[Object]"';
            }
            let separator = "";
            let maximumPropertiesToStringify = Math.min(keyLength, maximumBreadth);
            if (hasLength && isTypedArrayWithEntries(value)) {
              res += stringifyTypedArray(value, ",", maximumBreadth);
              keys = keys.slice(value.length);
              maximumPropertiesToStringify -= value.length;
              separator = ",";
            }
            if (deterministic) {
              keys = sort(keys, comparator);
            }
            stack.push(value);
            for (let i2 = 0; i2 < maximumPropertiesToStringify; i2++) {
              const key2 = keys[i2];
              const tmp = stringifySimple(key2, value[key2], stack);
              if (tmp !== void 0) {
                res += `${separator}${strEscape(key2)}:${tmp}`;
                separator = ",";
              }
            }
            if (keyLength > maximumBreadth) {
              const removedKeys = keyLength - maximumBreadth;
              res += `${separator}"...":"${getItemCount(removedKeys)} not stringified"`;
            }
            stack.pop();
            return `{${res}}`;
          }
          case "number":
            return isFinite(value) ? String(value) : fail ? fail(value) : "null";
          case "boolean":
            return value === true ? "true" : "false";
          case "undefined":
            return void 0;
          case "bigint":
            if (bigint) {
              return String(value);
            }
          // fallthrough
          default:
            return fail ? fail(value) : void 0;
        }
      }
      function stringify2(value, replacer, space) {
        if (arguments.length > 1) {
          let spacer = "";
          if (typeof space === "number") {
            spacer = " ".repeat(Math.min(space, 10));
          } else if (typeof space === "string") {
            spacer = space.slice(0, 10);
          }
          if (replacer != null) {
            if (typeof replacer === "function") {
              return stringifyFnReplacer("", { "": value }, [], replacer, spacer, "");
            }
            if (Array.isArray(replacer)) {
              return stringifyArrayReplacer("", value, [], getUniqueReplacerSet(replacer), spacer, "");
            }
          }
          if (spacer.length !== 0) {
            return stringifyIndent("", value, [], spacer, "");
          }
        }
        return stringifySimple("", value, []);
      }
      return stringify2;
    }
  }
});

// node_modules/pino/lib/multistream.js
var require_multistream = __commonJS({
  "node_modules/pino/lib/multistream.js"(exports, module) {
    "use strict";
    var metadata = /* @__PURE__ */ Symbol.for("pino.metadata");
    var { DEFAULT_LEVELS } = require_constants();
    var DEFAULT_INFO_LEVEL = DEFAULT_LEVELS.info;
    function multistream(streamsArray, opts) {
      streamsArray = streamsArray || [];
      opts = opts || { dedupe: false };
      const streamLevels = Object.create(DEFAULT_LEVELS);
      streamLevels.silent = Infinity;
      if (opts.levels && typeof opts.levels === "object") {
        Object.keys(opts.levels).forEach((i2) => {
          streamLevels[i2] = opts.levels[i2];
        });
      }
      const res = {
        write,
        add,
        remove,
        emit,
        flushSync,
        end,
        minLevel: 0,
        lastId: 0,
        streams: [],
        clone,
        [metadata]: true,
        streamLevels
      };
      if (Array.isArray(streamsArray)) {
        streamsArray.forEach(add, res);
      } else {
        add.call(res, streamsArray);
      }
      streamsArray = null;
      return res;
      function write(data) {
        let dest;
        const level = typeof this.lastLevel === "string" ? (this.streamLevels || streamLevels)[this.lastLevel] : this.lastLevel;
        const { streams } = this;
        let recordedLevel = 0;
        let stream;
        for (let i2 = initLoopVar(streams.length, opts.dedupe); checkLoopVar(i2, streams.length, opts.dedupe); i2 = adjustLoopVar(i2, opts.dedupe)) {
          dest = streams[i2];
          if (dest.level <= level) {
            if (recordedLevel !== 0 && recordedLevel !== dest.level) {
              break;
            }
            stream = dest.stream;
            if (stream[metadata]) {
              const { lastTime, lastMsg, lastObj, lastLogger } = this;
              stream.lastLevel = level;
              stream.lastTime = lastTime;
              stream.lastMsg = lastMsg;
              stream.lastObj = lastObj;
              stream.lastLogger = lastLogger;
            }
            stream.write(data);
            if (opts.dedupe) {
              recordedLevel = dest.level;
            }
          } else if (!opts.dedupe) {
            break;
          }
        }
      }
      function emit(...args) {
        for (const { stream } of this.streams) {
          if (typeof stream.emit === "function") {
            stream.emit(...args);
          }
        }
      }
      function flushSync() {
        for (const { stream } of this.streams) {
          if (typeof stream.flushSync === "function") {
            stream.flushSync();
          }
        }
      }
      function add(dest) {
        if (!dest) {
          return this;
        }
        const isStream2 = typeof dest.write === "function" || dest.stream;
        const stream_ = dest.write ? dest : dest.stream;
        if (!isStream2) {
          throw Error("stream object needs to implement either StreamEntry or DestinationStream interface");
        }
        const { streams, streamLevels: streamLevels2 } = this;
        let level;
        if (typeof dest.levelVal === "number") {
          level = dest.levelVal;
        } else if (typeof dest.level === "string") {
          level = streamLevels2[dest.level];
        } else if (typeof dest.level === "number") {
          level = dest.level;
        } else {
          level = DEFAULT_INFO_LEVEL;
        }
        const dest_ = {
          stream: stream_,
          level,
          levelVal: void 0,
          id: ++res.lastId
        };
        streams.unshift(dest_);
        streams.sort(compareByLevel);
        this.minLevel = streams[0].level;
        return this;
      }
      function remove(id) {
        const { streams } = this;
        const index = streams.findIndex((s) => s.id === id);
        if (index >= 0) {
          streams.splice(index, 1);
          streams.sort(compareByLevel);
          this.minLevel = streams.length > 0 ? streams[0].level : -1;
        }
        return this;
      }
      function end() {
        for (const { stream } of this.streams) {
          if (typeof stream.flushSync === "function") {
            stream.flushSync();
          }
          stream.end();
        }
      }
      function clone(level) {
        const streams = new Array(this.streams.length);
        for (let i2 = 0; i2 < streams.length; i2++) {
          streams[i2] = {
            level,
            stream: this.streams[i2].stream
          };
        }
        return {
          write,
          add,
          remove,
          emit,
          flushSync,
          end,
          minLevel: level,
          streams,
          clone,
          [metadata]: true,
          streamLevels
        };
      }
    }
    function compareByLevel(a2, b) {
      return a2.level - b.level;
    }
    function initLoopVar(length, dedupe) {
      return dedupe ? length - 1 : 0;
    }
    function adjustLoopVar(i2, dedupe) {
      return dedupe ? i2 - 1 : i2 + 1;
    }
    function checkLoopVar(i2, length, dedupe) {
      return dedupe ? i2 >= 0 : i2 < length;
    }
    module.exports = multistream;
  }
});

// node_modules/pino/pino.js
var require_pino = __commonJS({
  "node_modules/pino/pino.js"(exports, module) {
    "use strict";
    var os = __require("node:os");
    var stdSerializers = require_pino_std_serializers();
    var caller = require_caller();
    var redaction = require_redaction();
    var time = require_time();
    var proto = require_proto();
    var symbols = require_symbols();
    var { configure } = require_safe_stable_stringify();
    var { assertDefaultLevelFound, mappings, genLsCache, genLevelComparison, assertLevelComparison } = require_levels();
    var { DEFAULT_LEVELS, SORTING_ORDER } = require_constants();
    var {
      createArgsNormalizer,
      asChindings,
      buildSafeSonicBoom,
      buildFormatters,
      stringify,
      normalizeDestFileDescriptor,
      noop: noop3
    } = require_tools();
    var { version } = require_meta();
    var {
      chindingsSym,
      redactFmtSym,
      serializersSym,
      timeSym,
      timeSliceIndexSym,
      streamSym,
      stringifySym,
      stringifySafeSym,
      stringifiersSym,
      setLevelSym,
      endSym,
      formatOptsSym,
      messageKeySym,
      errorKeySym,
      nestedKeySym,
      mixinSym,
      levelCompSym,
      useOnlyCustomLevelsSym,
      formattersSym,
      hooksSym,
      nestedKeyStrSym,
      mixinMergeStrategySym,
      msgPrefixSym,
      transportUsesMultistreamSym
    } = symbols;
    var { epochTime, nullTime } = time;
    var { pid } = process;
    var hostname2 = os.hostname();
    var defaultErrorSerializer = stdSerializers.err;
    var defaultOptions = {
      level: "info",
      levelComparison: SORTING_ORDER.ASC,
      levels: DEFAULT_LEVELS,
      messageKey: "msg",
      errorKey: "err",
      nestedKey: null,
      enabled: true,
      base: { pid, hostname: hostname2 },
      serializers: Object.assign(/* @__PURE__ */ Object.create(null), {
        err: defaultErrorSerializer
      }),
      formatters: Object.assign(/* @__PURE__ */ Object.create(null), {
        bindings(bindings) {
          return bindings;
        },
        level(label, number) {
          return { level: number };
        }
      }),
      hooks: {
        logMethod: void 0,
        streamWrite: void 0
      },
      timestamp: epochTime,
      name: void 0,
      redact: null,
      customLevels: null,
      useOnlyCustomLevels: false,
      depthLimit: 5,
      edgeLimit: 100
    };
    var normalize = createArgsNormalizer(defaultOptions);
    var serializers = Object.assign(/* @__PURE__ */ Object.create(null), stdSerializers);
    function pino2(...args) {
      const instance = {};
      const { opts, stream } = normalize(instance, caller(), ...args);
      if (opts.level && typeof opts.level === "string" && DEFAULT_LEVELS[opts.level.toLowerCase()] !== void 0) opts.level = opts.level.toLowerCase();
      const {
        redact,
        crlf,
        serializers: serializers2,
        timestamp,
        messageKey,
        errorKey,
        nestedKey,
        base,
        name,
        level,
        customLevels,
        levelComparison,
        mixin,
        mixinMergeStrategy,
        useOnlyCustomLevels,
        formatters,
        hooks,
        depthLimit,
        edgeLimit,
        onChild,
        msgPrefix
      } = opts;
      const stringifySafe = configure({
        maximumDepth: depthLimit,
        maximumBreadth: edgeLimit
      });
      const allFormatters = buildFormatters(
        formatters.level,
        formatters.bindings,
        formatters.log
      );
      const stringifyFn = stringify.bind({
        [stringifySafeSym]: stringifySafe
      });
      const stringifiers = redact ? Object.assign(/* @__PURE__ */ Object.create(null), redaction(redact, stringifyFn)) : /* @__PURE__ */ Object.create(null);
      const formatOpts = redact ? { stringify: stringifiers[redactFmtSym] } : { stringify: stringifyFn };
      const end = "}" + (crlf ? "\r\n" : "\n");
      const coreChindings = asChindings.bind(null, {
        [chindingsSym]: "",
        [serializersSym]: serializers2,
        [stringifiersSym]: stringifiers,
        [stringifySym]: stringify,
        [stringifySafeSym]: stringifySafe,
        [formattersSym]: allFormatters
      });
      let chindings = "";
      if (base !== null) {
        if (name === void 0) {
          chindings = coreChindings(base);
        } else {
          chindings = coreChindings(Object.assign({}, base, { name }));
        }
      }
      const time2 = timestamp instanceof Function ? timestamp : timestamp ? epochTime : nullTime;
      const timeSliceIndex = time2().indexOf(":") + 1;
      if (useOnlyCustomLevels && !customLevels) throw Error("customLevels is required if useOnlyCustomLevels is set true");
      if (mixin && typeof mixin !== "function") throw Error(`Unknown mixin type "${typeof mixin}" - expected "function"`);
      if (msgPrefix && typeof msgPrefix !== "string") throw Error(`Unknown msgPrefix type "${typeof msgPrefix}" - expected "string"`);
      assertDefaultLevelFound(level, customLevels, useOnlyCustomLevels);
      const levels = mappings(customLevels, useOnlyCustomLevels);
      if (stream && stream[transportUsesMultistreamSym] === true) {
        let sampleLabel = typeof level === "string" ? level : void 0;
        if (!sampleLabel || levels[sampleLabel] === void 0) {
          sampleLabel = Object.keys(levels)[0];
        }
        const sampleNumber = levels[sampleLabel];
        let ok = false;
        try {
          const formatted = formatters.level(sampleLabel, sampleNumber);
          ok = formatted && typeof formatted === "object" && formatted.level === sampleNumber;
        } catch {
          ok = false;
        }
        if (!ok) {
          process.emitWarning(
            'custom formatters.level detected with multiple transport targets/pipelines; ensure logs include a numeric "level" field or they may be dropped',
            { code: "PINO_TRANSPORT_MULTI_TARGETS_LEVEL_FORMATTER" }
          );
        }
      }
      if (typeof stream.emit === "function") {
        stream.emit("message", { code: "PINO_CONFIG", config: { levels, messageKey, errorKey } });
      }
      assertLevelComparison(levelComparison);
      const levelCompFunc = genLevelComparison(levelComparison);
      Object.assign(instance, {
        levels,
        [levelCompSym]: levelCompFunc,
        [useOnlyCustomLevelsSym]: useOnlyCustomLevels,
        [streamSym]: stream,
        [timeSym]: time2,
        [timeSliceIndexSym]: timeSliceIndex,
        [stringifySym]: stringify,
        [stringifySafeSym]: stringifySafe,
        [stringifiersSym]: stringifiers,
        [endSym]: end,
        [formatOptsSym]: formatOpts,
        [messageKeySym]: messageKey,
        [errorKeySym]: errorKey,
        [nestedKeySym]: nestedKey,
        // protect against injection
        [nestedKeyStrSym]: nestedKey ? `,${JSON.stringify(nestedKey)}:{` : "",
        [serializersSym]: serializers2,
        [mixinSym]: mixin,
        [mixinMergeStrategySym]: mixinMergeStrategy,
        [chindingsSym]: chindings,
        [formattersSym]: allFormatters,
        [hooksSym]: hooks,
        silent: noop3,
        onChild,
        [msgPrefixSym]: msgPrefix
      });
      Object.setPrototypeOf(instance, proto());
      genLsCache(instance);
      instance[setLevelSym](level);
      return instance;
    }
    module.exports = pino2;
    module.exports.destination = (dest = process.stdout.fd) => {
      if (typeof dest === "object") {
        dest.dest = normalizeDestFileDescriptor(dest.dest || process.stdout.fd);
        return buildSafeSonicBoom(dest);
      } else {
        return buildSafeSonicBoom({ dest: normalizeDestFileDescriptor(dest), minLength: 0 });
      }
    };
    module.exports.transport = require_transport();
    module.exports.multistream = require_multistream();
    module.exports.levels = mappings();
    module.exports.stdSerializers = serializers;
    module.exports.stdTimeFunctions = Object.assign({}, time);
    module.exports.symbols = symbols;
    module.exports.version = version;
    module.exports.default = pino2;
    module.exports.pino = pino2;
  }
});

// src/cli/run-pipeline.ts
import { randomUUID as randomUUID2 } from "node:crypto";
import { mkdir as mkdir13 } from "node:fs/promises";
import { join as join27, relative as relative8, resolve as resolve11 } from "node:path";

// runner/host-facts.ts
import { arch } from "node:os";

// node_modules/is-plain-obj/index.js
function isPlainObject(value) {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return (prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === null) && !(Symbol.toStringTag in value) && !(Symbol.iterator in value);
}

// node_modules/execa/lib/arguments/file-url.js
import { fileURLToPath } from "node:url";
var safeNormalizeFileUrl = (file, name) => {
  const fileString = normalizeFileUrl(normalizeDenoExecPath(file));
  if (typeof fileString !== "string") {
    throw new TypeError(`${name} must be a string or a file URL: ${fileString}.`);
  }
  return fileString;
};
var normalizeDenoExecPath = (file) => isDenoExecPath(file) ? file.toString() : file;
var isDenoExecPath = (file) => typeof file !== "string" && file && Object.getPrototypeOf(file) === String.prototype;
var normalizeFileUrl = (file) => file instanceof URL ? fileURLToPath(file) : file;

// node_modules/execa/lib/methods/parameters.js
var normalizeParameters = (rawFile, rawArguments = [], rawOptions = {}) => {
  const filePath = safeNormalizeFileUrl(rawFile, "First argument");
  const [commandArguments, options] = isPlainObject(rawArguments) ? [[], rawArguments] : [rawArguments, rawOptions];
  if (!Array.isArray(commandArguments)) {
    throw new TypeError(`Second argument must be either an array of arguments or an options object: ${commandArguments}`);
  }
  if (commandArguments.some((commandArgument) => typeof commandArgument === "object" && commandArgument !== null)) {
    throw new TypeError(`Second argument must be an array of strings: ${commandArguments}`);
  }
  const normalizedArguments = commandArguments.map(String);
  const nullByteArgument = normalizedArguments.find((normalizedArgument) => normalizedArgument.includes("\0"));
  if (nullByteArgument !== void 0) {
    throw new TypeError(`Arguments cannot contain null bytes ("\\0"): ${nullByteArgument}`);
  }
  if (!isPlainObject(options)) {
    throw new TypeError(`Last argument must be an options object: ${options}`);
  }
  return [filePath, normalizedArguments, options];
};

// node_modules/execa/lib/methods/template.js
import { ChildProcess } from "node:child_process";

// node_modules/execa/lib/utils/uint-array.js
import { StringDecoder } from "node:string_decoder";
var { toString: objectToString } = Object.prototype;
var isArrayBuffer = (value) => objectToString.call(value) === "[object ArrayBuffer]";
var isUint8Array = (value) => objectToString.call(value) === "[object Uint8Array]";
var bufferToUint8Array = (buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
var textEncoder = new TextEncoder();
var stringToUint8Array = (string) => textEncoder.encode(string);
var textDecoder = new TextDecoder();
var uint8ArrayToString = (uint8Array) => textDecoder.decode(uint8Array);
var joinToString = (uint8ArraysOrStrings, encoding) => {
  const strings2 = uint8ArraysToStrings(uint8ArraysOrStrings, encoding);
  return strings2.join("");
};
var uint8ArraysToStrings = (uint8ArraysOrStrings, encoding) => {
  if (encoding === "utf8" && uint8ArraysOrStrings.every((uint8ArrayOrString) => typeof uint8ArrayOrString === "string")) {
    return uint8ArraysOrStrings;
  }
  const decoder = new StringDecoder(encoding);
  const strings2 = uint8ArraysOrStrings.map((uint8ArrayOrString) => typeof uint8ArrayOrString === "string" ? stringToUint8Array(uint8ArrayOrString) : uint8ArrayOrString).map((uint8Array) => decoder.write(uint8Array));
  const finalString = decoder.end();
  return finalString === "" ? strings2 : [...strings2, finalString];
};
var joinToUint8Array = (uint8ArraysOrStrings) => {
  if (uint8ArraysOrStrings.length === 1 && isUint8Array(uint8ArraysOrStrings[0])) {
    return uint8ArraysOrStrings[0];
  }
  return concatUint8Arrays(stringsToUint8Arrays(uint8ArraysOrStrings));
};
var stringsToUint8Arrays = (uint8ArraysOrStrings) => uint8ArraysOrStrings.map((uint8ArrayOrString) => typeof uint8ArrayOrString === "string" ? stringToUint8Array(uint8ArrayOrString) : uint8ArrayOrString);
var concatUint8Arrays = (uint8Arrays) => {
  const result = new Uint8Array(getJoinLength(uint8Arrays));
  let index = 0;
  for (const uint8Array of uint8Arrays) {
    result.set(uint8Array, index);
    index += uint8Array.length;
  }
  return result;
};
var getJoinLength = (uint8Arrays) => {
  let joinLength = 0;
  for (const uint8Array of uint8Arrays) {
    joinLength += uint8Array.length;
  }
  return joinLength;
};

// node_modules/execa/lib/methods/template.js
var isTemplateString = (templates) => Array.isArray(templates) && Array.isArray(templates.raw);
var parseTemplates = (templates, expressions) => {
  let tokens = [];
  for (const [index, template] of templates.entries()) {
    tokens = parseTemplate({
      templates,
      expressions,
      tokens,
      index,
      template
    });
  }
  if (tokens.length === 0) {
    throw new TypeError("Template script must not be empty");
  }
  const [file, ...commandArguments] = tokens;
  return [file, commandArguments, {}];
};
var parseTemplate = ({ templates, expressions, tokens, index, template }) => {
  if (template === void 0) {
    throw new TypeError(`Invalid backslash sequence: ${templates.raw[index]}`);
  }
  const { nextTokens, leadingWhitespaces, trailingWhitespaces } = splitByWhitespaces(template, templates.raw[index]);
  const newTokens = concatTokens(tokens, nextTokens, leadingWhitespaces);
  if (index === expressions.length) {
    return newTokens;
  }
  const expression = expressions[index];
  const expressionTokens = Array.isArray(expression) ? expression.map((expression2) => parseExpression(expression2)) : [parseExpression(expression)];
  return concatTokens(newTokens, expressionTokens, trailingWhitespaces);
};
var splitByWhitespaces = (template, rawTemplate) => {
  if (rawTemplate.length === 0) {
    return { nextTokens: [], leadingWhitespaces: false, trailingWhitespaces: false };
  }
  const nextTokens = [];
  let templateStart = 0;
  const leadingWhitespaces = DELIMITERS.has(rawTemplate[0]);
  for (let templateIndex = 0, rawIndex = 0; templateIndex < template.length; templateIndex += 1, rawIndex += 1) {
    const rawCharacter = rawTemplate[rawIndex];
    if (DELIMITERS.has(rawCharacter)) {
      if (templateStart !== templateIndex) {
        nextTokens.push(template.slice(templateStart, templateIndex));
      }
      templateStart = templateIndex + 1;
    } else if (rawCharacter === "\\") {
      const nextRawCharacter = rawTemplate[rawIndex + 1];
      if (nextRawCharacter === "\n") {
        templateIndex -= 1;
        rawIndex += 1;
      } else if (nextRawCharacter === "u" && rawTemplate[rawIndex + 2] === "{") {
        rawIndex = rawTemplate.indexOf("}", rawIndex + 3);
      } else {
        rawIndex += ESCAPE_LENGTH[nextRawCharacter] ?? 1;
      }
    }
  }
  const trailingWhitespaces = templateStart === template.length;
  if (!trailingWhitespaces) {
    nextTokens.push(template.slice(templateStart));
  }
  return { nextTokens, leadingWhitespaces, trailingWhitespaces };
};
var DELIMITERS = /* @__PURE__ */ new Set([" ", "	", "\r", "\n"]);
var ESCAPE_LENGTH = { x: 3, u: 5 };
var concatTokens = (tokens, nextTokens, isSeparated) => isSeparated || tokens.length === 0 || nextTokens.length === 0 ? [...tokens, ...nextTokens] : [
  ...tokens.slice(0, -1),
  `${tokens.at(-1)}${nextTokens[0]}`,
  ...nextTokens.slice(1)
];
var parseExpression = (expression) => {
  const typeOfExpression = typeof expression;
  if (typeOfExpression === "string") {
    return expression;
  }
  if (typeOfExpression === "number") {
    return String(expression);
  }
  if (isPlainObject(expression) && ("stdout" in expression || "isMaxBuffer" in expression)) {
    return getSubprocessResult(expression);
  }
  if (expression instanceof ChildProcess || Object.prototype.toString.call(expression) === "[object Promise]") {
    throw new TypeError("Unexpected subprocess in template expression. Please use ${await subprocess} instead of ${subprocess}.");
  }
  throw new TypeError(`Unexpected "${typeOfExpression}" in template expression`);
};
var getSubprocessResult = ({ stdout }) => {
  if (typeof stdout === "string") {
    return stdout;
  }
  if (isUint8Array(stdout)) {
    return uint8ArrayToString(stdout);
  }
  if (stdout === void 0) {
    throw new TypeError(`Missing result.stdout in template expression. This is probably due to the previous subprocess' "stdout" option.`);
  }
  throw new TypeError(`Unexpected "${typeof stdout}" stdout in template expression`);
};

// node_modules/execa/lib/methods/main-sync.js
import { spawnSync } from "node:child_process";

// node_modules/execa/lib/arguments/specific.js
import { debuglog } from "node:util";

// node_modules/execa/lib/utils/standard-stream.js
import process2 from "node:process";
var isStandardStream = (stream) => STANDARD_STREAMS.includes(stream);
var STANDARD_STREAMS = [process2.stdin, process2.stdout, process2.stderr];
var STANDARD_STREAMS_ALIASES = ["stdin", "stdout", "stderr"];
var getStreamName = (fdNumber) => STANDARD_STREAMS_ALIASES[fdNumber] ?? `stdio[${fdNumber}]`;

// node_modules/execa/lib/arguments/specific.js
var normalizeFdSpecificOptions = (options) => {
  const optionsCopy = { ...options };
  for (const optionName of FD_SPECIFIC_OPTIONS) {
    optionsCopy[optionName] = normalizeFdSpecificOption(options, optionName);
  }
  return optionsCopy;
};
var normalizeFdSpecificOption = (options, optionName) => {
  const optionBaseArray = Array.from({ length: getStdioLength(options) + 1 });
  const optionArray = normalizeFdSpecificValue(options[optionName], optionBaseArray, optionName);
  return addDefaultValue(optionArray, optionName);
};
var getStdioLength = ({ stdio }) => Array.isArray(stdio) ? Math.max(stdio.length, STANDARD_STREAMS_ALIASES.length) : STANDARD_STREAMS_ALIASES.length;
var normalizeFdSpecificValue = (optionValue, optionArray, optionName) => isPlainObject(optionValue) ? normalizeOptionObject(optionValue, optionArray, optionName) : optionArray.fill(optionValue);
var normalizeOptionObject = (optionValue, optionArray, optionName) => {
  for (const fdName of Object.keys(optionValue).sort(compareFdName)) {
    for (const fdNumber of parseFdName(fdName, optionName, optionArray)) {
      optionArray[fdNumber] = optionValue[fdName];
    }
  }
  return optionArray;
};
var compareFdName = (fdNameA, fdNameB) => getFdNameOrder(fdNameA) < getFdNameOrder(fdNameB) ? 1 : -1;
var getFdNameOrder = (fdName) => {
  if (fdName === "stdout" || fdName === "stderr") {
    return 0;
  }
  return fdName === "all" ? 2 : 1;
};
var parseFdName = (fdName, optionName, optionArray) => {
  if (fdName === "ipc") {
    return [optionArray.length - 1];
  }
  const fdNumber = parseFd(fdName);
  if (fdNumber === void 0 || fdNumber === 0) {
    throw new TypeError(`"${optionName}.${fdName}" is invalid.
It must be "${optionName}.stdout", "${optionName}.stderr", "${optionName}.all", "${optionName}.ipc", or "${optionName}.fd3", "${optionName}.fd4" (and so on).`);
  }
  if (fdNumber >= optionArray.length) {
    throw new TypeError(`"${optionName}.${fdName}" is invalid: that file descriptor does not exist.
Please set the "stdio" option to ensure that file descriptor exists.`);
  }
  return fdNumber === "all" ? [1, 2] : [fdNumber];
};
var parseFd = (fdName) => {
  if (fdName === "all") {
    return fdName;
  }
  if (STANDARD_STREAMS_ALIASES.includes(fdName)) {
    return STANDARD_STREAMS_ALIASES.indexOf(fdName);
  }
  const regexpResult = FD_REGEXP.exec(fdName);
  if (regexpResult !== null) {
    return Number(regexpResult[1]);
  }
};
var FD_REGEXP = /^fd(\d+)$/;
var addDefaultValue = (optionArray, optionName) => optionArray.map((optionValue) => optionValue === void 0 ? DEFAULT_OPTIONS[optionName] : optionValue);
var verboseDefault = debuglog("execa").enabled ? "full" : "none";
var DEFAULT_OPTIONS = {
  lines: false,
  buffer: true,
  maxBuffer: 1e3 * 1e3 * 100,
  verbose: verboseDefault,
  stripFinalNewline: true
};
var FD_SPECIFIC_OPTIONS = ["lines", "buffer", "maxBuffer", "verbose", "stripFinalNewline"];
var getFdSpecificValue = (optionArray, fdNumber) => fdNumber === "ipc" ? optionArray.at(-1) : optionArray[fdNumber];

// node_modules/execa/lib/verbose/values.js
var isVerbose = ({ verbose }, fdNumber) => getFdVerbose(verbose, fdNumber) !== "none";
var isFullVerbose = ({ verbose }, fdNumber) => !["none", "short"].includes(getFdVerbose(verbose, fdNumber));
var getVerboseFunction = ({ verbose }, fdNumber) => {
  const fdVerbose = getFdVerbose(verbose, fdNumber);
  return isVerboseFunction(fdVerbose) ? fdVerbose : void 0;
};
var getFdVerbose = (verbose, fdNumber) => fdNumber === void 0 ? getFdGenericVerbose(verbose) : getFdSpecificValue(verbose, fdNumber);
var getFdGenericVerbose = (verbose) => verbose.find((fdVerbose) => isVerboseFunction(fdVerbose)) ?? VERBOSE_VALUES.findLast((fdVerbose) => verbose.includes(fdVerbose));
var isVerboseFunction = (fdVerbose) => typeof fdVerbose === "function";
var VERBOSE_VALUES = ["none", "short", "full"];

// node_modules/execa/lib/verbose/log.js
import { inspect } from "node:util";

// node_modules/execa/lib/arguments/escape.js
import { platform } from "node:process";
import { stripVTControlCharacters } from "node:util";
var joinCommand = (filePath, rawArguments) => {
  const fileAndArguments = [filePath, ...rawArguments];
  const command = fileAndArguments.join(" ");
  const escapedCommand = fileAndArguments.map((fileAndArgument) => quoteString(escapeControlCharacters(fileAndArgument))).join(" ");
  return { command, escapedCommand };
};
var escapeLines = (lines) => stripVTControlCharacters(lines).split("\n").map((line) => escapeControlCharacters(line)).join("\n");
var escapeControlCharacters = (line) => line.replaceAll(SPECIAL_CHAR_REGEXP, (character) => escapeControlCharacter(character));
var escapeControlCharacter = (character) => {
  const commonEscape = COMMON_ESCAPES[character];
  if (commonEscape !== void 0) {
    return commonEscape;
  }
  const codepoint = character.codePointAt(0);
  const codepointHex = codepoint.toString(16);
  return codepoint <= ASTRAL_START ? `\\u${codepointHex.padStart(4, "0")}` : `\\U${codepointHex}`;
};
var getSpecialCharRegExp = () => {
  try {
    return new RegExp("\\p{Separator}|\\p{Other}", "gu");
  } catch {
    return /[\s\u0000-\u001F\u007F-\u009F\u00AD]/g;
  }
};
var SPECIAL_CHAR_REGEXP = getSpecialCharRegExp();
var COMMON_ESCAPES = {
  " ": " ",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "	": "\\t"
};
var ASTRAL_START = 65535;
var quoteString = (escapedArgument) => {
  if (NO_ESCAPE_REGEXP.test(escapedArgument)) {
    return escapedArgument;
  }
  return platform === "win32" ? `"${escapedArgument.replaceAll('"', '""')}"` : `'${escapedArgument.replaceAll("'", "'\\''")}'`;
};
var NO_ESCAPE_REGEXP = /^[\w./-]+$/;

// node_modules/is-unicode-supported/index.js
import process3 from "node:process";
function isUnicodeSupported() {
  const { env } = process3;
  const { TERM, TERM_PROGRAM } = env;
  if (process3.platform !== "win32") {
    return TERM !== "linux";
  }
  return Boolean(env.WT_SESSION) || Boolean(env.TERMINUS_SUBLIME) || env.ConEmuTask === "{cmd::Cmder}" || TERM_PROGRAM === "Terminus-Sublime" || TERM_PROGRAM === "vscode" || TERM === "xterm-256color" || TERM === "alacritty" || TERM === "rxvt-unicode" || TERM === "rxvt-unicode-256color" || env.TERMINAL_EMULATOR === "JetBrains-JediTerm";
}

// node_modules/figures/index.js
var common = {
  circleQuestionMark: "(?)",
  questionMarkPrefix: "(?)",
  square: "\u2588",
  squareDarkShade: "\u2593",
  squareMediumShade: "\u2592",
  squareLightShade: "\u2591",
  squareTop: "\u2580",
  squareBottom: "\u2584",
  squareLeft: "\u258C",
  squareRight: "\u2590",
  squareCenter: "\u25A0",
  bullet: "\u25CF",
  dot: "\u2024",
  ellipsis: "\u2026",
  pointerSmall: "\u203A",
  triangleUp: "\u25B2",
  triangleUpSmall: "\u25B4",
  triangleDown: "\u25BC",
  triangleDownSmall: "\u25BE",
  triangleLeftSmall: "\u25C2",
  triangleRightSmall: "\u25B8",
  home: "\u2302",
  heart: "\u2665",
  musicNote: "\u266A",
  musicNoteBeamed: "\u266B",
  arrowUp: "\u2191",
  arrowDown: "\u2193",
  arrowLeft: "\u2190",
  arrowRight: "\u2192",
  arrowLeftRight: "\u2194",
  arrowUpDown: "\u2195",
  almostEqual: "\u2248",
  notEqual: "\u2260",
  lessOrEqual: "\u2264",
  greaterOrEqual: "\u2265",
  identical: "\u2261",
  infinity: "\u221E",
  subscriptZero: "\u2080",
  subscriptOne: "\u2081",
  subscriptTwo: "\u2082",
  subscriptThree: "\u2083",
  subscriptFour: "\u2084",
  subscriptFive: "\u2085",
  subscriptSix: "\u2086",
  subscriptSeven: "\u2087",
  subscriptEight: "\u2088",
  subscriptNine: "\u2089",
  oneHalf: "\xBD",
  oneThird: "\u2153",
  oneQuarter: "\xBC",
  oneFifth: "\u2155",
  oneSixth: "\u2159",
  oneEighth: "\u215B",
  twoThirds: "\u2154",
  twoFifths: "\u2156",
  threeQuarters: "\xBE",
  threeFifths: "\u2157",
  threeEighths: "\u215C",
  fourFifths: "\u2158",
  fiveSixths: "\u215A",
  fiveEighths: "\u215D",
  sevenEighths: "\u215E",
  line: "\u2500",
  lineBold: "\u2501",
  lineDouble: "\u2550",
  lineDashed0: "\u2504",
  lineDashed1: "\u2505",
  lineDashed2: "\u2508",
  lineDashed3: "\u2509",
  lineDashed4: "\u254C",
  lineDashed5: "\u254D",
  lineDashed6: "\u2574",
  lineDashed7: "\u2576",
  lineDashed8: "\u2578",
  lineDashed9: "\u257A",
  lineDashed10: "\u257C",
  lineDashed11: "\u257E",
  lineDashed12: "\u2212",
  lineDashed13: "\u2013",
  lineDashed14: "\u2010",
  lineDashed15: "\u2043",
  lineVertical: "\u2502",
  lineVerticalBold: "\u2503",
  lineVerticalDouble: "\u2551",
  lineVerticalDashed0: "\u2506",
  lineVerticalDashed1: "\u2507",
  lineVerticalDashed2: "\u250A",
  lineVerticalDashed3: "\u250B",
  lineVerticalDashed4: "\u254E",
  lineVerticalDashed5: "\u254F",
  lineVerticalDashed6: "\u2575",
  lineVerticalDashed7: "\u2577",
  lineVerticalDashed8: "\u2579",
  lineVerticalDashed9: "\u257B",
  lineVerticalDashed10: "\u257D",
  lineVerticalDashed11: "\u257F",
  lineDownLeft: "\u2510",
  lineDownLeftArc: "\u256E",
  lineDownBoldLeftBold: "\u2513",
  lineDownBoldLeft: "\u2512",
  lineDownLeftBold: "\u2511",
  lineDownDoubleLeftDouble: "\u2557",
  lineDownDoubleLeft: "\u2556",
  lineDownLeftDouble: "\u2555",
  lineDownRight: "\u250C",
  lineDownRightArc: "\u256D",
  lineDownBoldRightBold: "\u250F",
  lineDownBoldRight: "\u250E",
  lineDownRightBold: "\u250D",
  lineDownDoubleRightDouble: "\u2554",
  lineDownDoubleRight: "\u2553",
  lineDownRightDouble: "\u2552",
  lineUpLeft: "\u2518",
  lineUpLeftArc: "\u256F",
  lineUpBoldLeftBold: "\u251B",
  lineUpBoldLeft: "\u251A",
  lineUpLeftBold: "\u2519",
  lineUpDoubleLeftDouble: "\u255D",
  lineUpDoubleLeft: "\u255C",
  lineUpLeftDouble: "\u255B",
  lineUpRight: "\u2514",
  lineUpRightArc: "\u2570",
  lineUpBoldRightBold: "\u2517",
  lineUpBoldRight: "\u2516",
  lineUpRightBold: "\u2515",
  lineUpDoubleRightDouble: "\u255A",
  lineUpDoubleRight: "\u2559",
  lineUpRightDouble: "\u2558",
  lineUpDownLeft: "\u2524",
  lineUpBoldDownBoldLeftBold: "\u252B",
  lineUpBoldDownBoldLeft: "\u2528",
  lineUpDownLeftBold: "\u2525",
  lineUpBoldDownLeftBold: "\u2529",
  lineUpDownBoldLeftBold: "\u252A",
  lineUpDownBoldLeft: "\u2527",
  lineUpBoldDownLeft: "\u2526",
  lineUpDoubleDownDoubleLeftDouble: "\u2563",
  lineUpDoubleDownDoubleLeft: "\u2562",
  lineUpDownLeftDouble: "\u2561",
  lineUpDownRight: "\u251C",
  lineUpBoldDownBoldRightBold: "\u2523",
  lineUpBoldDownBoldRight: "\u2520",
  lineUpDownRightBold: "\u251D",
  lineUpBoldDownRightBold: "\u2521",
  lineUpDownBoldRightBold: "\u2522",
  lineUpDownBoldRight: "\u251F",
  lineUpBoldDownRight: "\u251E",
  lineUpDoubleDownDoubleRightDouble: "\u2560",
  lineUpDoubleDownDoubleRight: "\u255F",
  lineUpDownRightDouble: "\u255E",
  lineDownLeftRight: "\u252C",
  lineDownBoldLeftBoldRightBold: "\u2533",
  lineDownLeftBoldRightBold: "\u252F",
  lineDownBoldLeftRight: "\u2530",
  lineDownBoldLeftBoldRight: "\u2531",
  lineDownBoldLeftRightBold: "\u2532",
  lineDownLeftRightBold: "\u252E",
  lineDownLeftBoldRight: "\u252D",
  lineDownDoubleLeftDoubleRightDouble: "\u2566",
  lineDownDoubleLeftRight: "\u2565",
  lineDownLeftDoubleRightDouble: "\u2564",
  lineUpLeftRight: "\u2534",
  lineUpBoldLeftBoldRightBold: "\u253B",
  lineUpLeftBoldRightBold: "\u2537",
  lineUpBoldLeftRight: "\u2538",
  lineUpBoldLeftBoldRight: "\u2539",
  lineUpBoldLeftRightBold: "\u253A",
  lineUpLeftRightBold: "\u2536",
  lineUpLeftBoldRight: "\u2535",
  lineUpDoubleLeftDoubleRightDouble: "\u2569",
  lineUpDoubleLeftRight: "\u2568",
  lineUpLeftDoubleRightDouble: "\u2567",
  lineUpDownLeftRight: "\u253C",
  lineUpBoldDownBoldLeftBoldRightBold: "\u254B",
  lineUpDownBoldLeftBoldRightBold: "\u2548",
  lineUpBoldDownLeftBoldRightBold: "\u2547",
  lineUpBoldDownBoldLeftRightBold: "\u254A",
  lineUpBoldDownBoldLeftBoldRight: "\u2549",
  lineUpBoldDownLeftRight: "\u2540",
  lineUpDownBoldLeftRight: "\u2541",
  lineUpDownLeftBoldRight: "\u253D",
  lineUpDownLeftRightBold: "\u253E",
  lineUpBoldDownBoldLeftRight: "\u2542",
  lineUpDownLeftBoldRightBold: "\u253F",
  lineUpBoldDownLeftBoldRight: "\u2543",
  lineUpBoldDownLeftRightBold: "\u2544",
  lineUpDownBoldLeftBoldRight: "\u2545",
  lineUpDownBoldLeftRightBold: "\u2546",
  lineUpDoubleDownDoubleLeftDoubleRightDouble: "\u256C",
  lineUpDoubleDownDoubleLeftRight: "\u256B",
  lineUpDownLeftDoubleRightDouble: "\u256A",
  lineCross: "\u2573",
  lineBackslash: "\u2572",
  lineSlash: "\u2571"
};
var specialMainSymbols = {
  tick: "\u2714",
  info: "\u2139",
  warning: "\u26A0",
  cross: "\u2718",
  squareSmall: "\u25FB",
  squareSmallFilled: "\u25FC",
  circle: "\u25EF",
  circleFilled: "\u25C9",
  circleDotted: "\u25CC",
  circleDouble: "\u25CE",
  circleCircle: "\u24DE",
  circleCross: "\u24E7",
  circlePipe: "\u24BE",
  radioOn: "\u25C9",
  radioOff: "\u25EF",
  checkboxOn: "\u2612",
  checkboxOff: "\u2610",
  checkboxCircleOn: "\u24E7",
  checkboxCircleOff: "\u24BE",
  pointer: "\u276F",
  triangleUpOutline: "\u25B3",
  triangleLeft: "\u25C0",
  triangleRight: "\u25B6",
  lozenge: "\u25C6",
  lozengeOutline: "\u25C7",
  hamburger: "\u2630",
  smiley: "\u32E1",
  mustache: "\u0DF4",
  star: "\u2605",
  play: "\u25B6",
  nodejs: "\u2B22",
  oneSeventh: "\u2150",
  oneNinth: "\u2151",
  oneTenth: "\u2152"
};
var specialFallbackSymbols = {
  tick: "\u221A",
  info: "i",
  warning: "\u203C",
  cross: "\xD7",
  squareSmall: "\u25A1",
  squareSmallFilled: "\u25A0",
  circle: "( )",
  circleFilled: "(*)",
  circleDotted: "( )",
  circleDouble: "( )",
  circleCircle: "(\u25CB)",
  circleCross: "(\xD7)",
  circlePipe: "(\u2502)",
  radioOn: "(*)",
  radioOff: "( )",
  checkboxOn: "[\xD7]",
  checkboxOff: "[ ]",
  checkboxCircleOn: "(\xD7)",
  checkboxCircleOff: "( )",
  pointer: ">",
  triangleUpOutline: "\u2206",
  triangleLeft: "\u25C4",
  triangleRight: "\u25BA",
  lozenge: "\u2666",
  lozengeOutline: "\u25CA",
  hamburger: "\u2261",
  smiley: "\u263A",
  mustache: "\u250C\u2500\u2510",
  star: "\u2736",
  play: "\u25BA",
  nodejs: "\u2666",
  oneSeventh: "1/7",
  oneNinth: "1/9",
  oneTenth: "1/10"
};
var mainSymbols = { ...common, ...specialMainSymbols };
var fallbackSymbols = { ...common, ...specialFallbackSymbols };
var shouldUseMain = isUnicodeSupported();
var figures = shouldUseMain ? mainSymbols : fallbackSymbols;
var figures_default = figures;
var replacements = Object.entries(specialMainSymbols);

// node_modules/yoctocolors/base.js
import tty from "node:tty";
var hasColors = tty?.WriteStream?.prototype?.hasColors?.() ?? false;
var format = (open2, close) => {
  if (!hasColors) {
    return (input) => input;
  }
  const openCode = `\x1B[${open2}m`;
  const closeCode = `\x1B[${close}m`;
  return (input) => {
    const string = input + "";
    let index = string.indexOf(closeCode);
    if (index === -1) {
      return openCode + string + closeCode;
    }
    let result = openCode;
    let lastIndex = 0;
    const reopenOnNestedClose = close === 22;
    const replaceCode = (reopenOnNestedClose ? closeCode : "") + openCode;
    while (index !== -1) {
      result += string.slice(lastIndex, index) + replaceCode;
      lastIndex = index + closeCode.length;
      index = string.indexOf(closeCode, lastIndex);
    }
    result += string.slice(lastIndex) + closeCode;
    return result;
  };
};
var reset = format(0, 0);
var bold = format(1, 22);
var dim = format(2, 22);
var italic = format(3, 23);
var underline = format(4, 24);
var underlineDouble = format("4:2", 24);
var underlineCurly = format("4:3", 24);
var underlineDotted = format("4:4", 24);
var underlineDashed = format("4:5", 24);
var overline = format(53, 55);
var inverse = format(7, 27);
var hidden = format(8, 28);
var strikethrough = format(9, 29);
var black = format(30, 39);
var red = format(31, 39);
var green = format(32, 39);
var yellow = format(33, 39);
var blue = format(34, 39);
var magenta = format(35, 39);
var cyan = format(36, 39);
var white = format(37, 39);
var gray = format(90, 39);
var bgBlack = format(40, 49);
var bgRed = format(41, 49);
var bgGreen = format(42, 49);
var bgYellow = format(43, 49);
var bgBlue = format(44, 49);
var bgMagenta = format(45, 49);
var bgCyan = format(46, 49);
var bgWhite = format(47, 49);
var bgGray = format(100, 49);
var redBright = format(91, 39);
var greenBright = format(92, 39);
var yellowBright = format(93, 39);
var blueBright = format(94, 39);
var magentaBright = format(95, 39);
var cyanBright = format(96, 39);
var whiteBright = format(97, 39);
var bgRedBright = format(101, 49);
var bgGreenBright = format(102, 49);
var bgYellowBright = format(103, 49);
var bgBlueBright = format(104, 49);
var bgMagentaBright = format(105, 49);
var bgCyanBright = format(106, 49);
var bgWhiteBright = format(107, 49);
var underlineBlack = format("58;5;0", 59);
var underlineRed = format("58;5;1", 59);
var underlineGreen = format("58;5;2", 59);
var underlineYellow = format("58;5;3", 59);
var underlineBlue = format("58;5;4", 59);
var underlineMagenta = format("58;5;5", 59);
var underlineCyan = format("58;5;6", 59);
var underlineWhite = format("58;5;7", 59);
var underlineGray = format("58;5;8", 59);
var underlineRedBright = format("58;5;9", 59);
var underlineGreenBright = format("58;5;10", 59);
var underlineYellowBright = format("58;5;11", 59);
var underlineBlueBright = format("58;5;12", 59);
var underlineMagentaBright = format("58;5;13", 59);
var underlineCyanBright = format("58;5;14", 59);
var underlineWhiteBright = format("58;5;15", 59);

// node_modules/execa/lib/verbose/default.js
var defaultVerboseFunction = ({
  type,
  message,
  timestamp,
  piped,
  commandId,
  result: { failed = false } = {},
  options: { reject = true }
}) => {
  const timestampString = serializeTimestamp(timestamp);
  const icon = ICONS[type]({ failed, reject, piped });
  const color = COLORS[type]({ reject });
  return `${gray(`[${timestampString}]`)} ${gray(`[${commandId}]`)} ${color(icon)} ${color(message)}`;
};
var serializeTimestamp = (timestamp) => `${padField(timestamp.getHours(), 2)}:${padField(timestamp.getMinutes(), 2)}:${padField(timestamp.getSeconds(), 2)}.${padField(timestamp.getMilliseconds(), 3)}`;
var padField = (field2, padding) => String(field2).padStart(padding, "0");
var getFinalIcon = ({ failed, reject }) => {
  if (!failed) {
    return figures_default.tick;
  }
  return reject ? figures_default.cross : figures_default.warning;
};
var ICONS = {
  command: ({ piped }) => piped ? "|" : "$",
  output: () => " ",
  ipc: () => "*",
  error: getFinalIcon,
  duration: getFinalIcon
};
var identity = (string) => string;
var COLORS = {
  command: () => bold,
  output: () => identity,
  ipc: () => identity,
  error: ({ reject }) => reject ? redBright : yellowBright,
  duration: () => gray
};

// node_modules/execa/lib/verbose/custom.js
var applyVerboseOnLines = (printedLines, verboseInfo, fdNumber) => {
  const verboseFunction = getVerboseFunction(verboseInfo, fdNumber);
  return printedLines.map(({ verboseLine, verboseObject }) => applyVerboseFunction(verboseLine, verboseObject, verboseFunction)).filter((printedLine) => printedLine !== void 0).map((printedLine) => appendNewline(printedLine)).join("");
};
var applyVerboseFunction = (verboseLine, verboseObject, verboseFunction) => {
  if (verboseFunction === void 0) {
    return verboseLine;
  }
  const printedLine = verboseFunction(verboseLine, verboseObject);
  if (typeof printedLine === "string") {
    return printedLine;
  }
};
var appendNewline = (printedLine) => printedLine.endsWith("\n") ? printedLine : `${printedLine}
`;

// node_modules/execa/lib/verbose/log.js
var verboseLog = ({ type, verboseMessage, fdNumber, verboseInfo, result }) => {
  const verboseObject = getVerboseObject({ type, result, verboseInfo });
  const printedLines = getPrintedLines(verboseMessage, verboseObject);
  const finalLines = applyVerboseOnLines(printedLines, verboseInfo, fdNumber);
  if (finalLines !== "") {
    console.warn(finalLines.slice(0, -1));
  }
};
var getVerboseObject = ({
  type,
  result,
  verboseInfo: { escapedCommand, commandId, rawOptions: { piped = false, ...options } }
}) => ({
  type,
  escapedCommand,
  commandId: `${commandId}`,
  timestamp: /* @__PURE__ */ new Date(),
  piped,
  result,
  options
});
var getPrintedLines = (verboseMessage, verboseObject) => verboseMessage.split("\n").map((message) => getPrintedLine({ ...verboseObject, message }));
var getPrintedLine = (verboseObject) => {
  const verboseLine = defaultVerboseFunction(verboseObject);
  return { verboseLine, verboseObject };
};
var serializeVerboseMessage = (message) => {
  const messageString = typeof message === "string" ? message : inspect(message);
  const escapedMessage = escapeLines(messageString);
  return escapedMessage.replaceAll("	", " ".repeat(TAB_SIZE));
};
var TAB_SIZE = 2;

// node_modules/execa/lib/verbose/start.js
var logCommand = (escapedCommand, verboseInfo) => {
  if (!isVerbose(verboseInfo)) {
    return;
  }
  verboseLog({
    type: "command",
    verboseMessage: escapedCommand,
    verboseInfo
  });
};

// node_modules/execa/lib/verbose/info.js
var getVerboseInfo = (verbose, escapedCommand, rawOptions) => {
  validateVerbose(verbose);
  const commandId = getCommandId(verbose);
  return {
    verbose,
    escapedCommand,
    commandId,
    rawOptions
  };
};
var getCommandId = (verbose) => isVerbose({ verbose }) ? COMMAND_ID++ : void 0;
var COMMAND_ID = 0n;
var validateVerbose = (verbose) => {
  for (const fdVerbose of verbose) {
    if (fdVerbose === false) {
      throw new TypeError(`The "verbose: false" option was renamed to "verbose: 'none'".`);
    }
    if (fdVerbose === true) {
      throw new TypeError(`The "verbose: true" option was renamed to "verbose: 'short'".`);
    }
    if (!VERBOSE_VALUES.includes(fdVerbose) && !isVerboseFunction(fdVerbose)) {
      const allowedValues = VERBOSE_VALUES.map((allowedValue) => `'${allowedValue}'`).join(", ");
      throw new TypeError(`The "verbose" option must not be ${fdVerbose}. Allowed values are: ${allowedValues} or a function.`);
    }
  }
};

// node_modules/execa/lib/return/duration.js
import { hrtime } from "node:process";
var getStartTime = () => hrtime.bigint();
var getDurationMs = (startTime) => Number(hrtime.bigint() - startTime) / 1e6;

// node_modules/execa/lib/arguments/command.js
var handleCommand = (filePath, rawArguments, rawOptions) => {
  const startTime = getStartTime();
  const { command, escapedCommand } = joinCommand(filePath, rawArguments);
  const verbose = normalizeFdSpecificOption(rawOptions, "verbose");
  const verboseInfo = getVerboseInfo(verbose, escapedCommand, { ...rawOptions });
  logCommand(escapedCommand, verboseInfo);
  return {
    command,
    escapedCommand,
    startTime,
    verboseInfo
  };
};

// node_modules/execa/lib/arguments/options.js
var import_cross_spawn = __toESM(require_cross_spawn(), 1);
import path5 from "node:path";
import process6 from "node:process";

// node_modules/npm-run-path/index.js
import process4 from "node:process";
import path2 from "node:path";

// node_modules/npm-run-path/node_modules/path-key/index.js
function pathKey(options = {}) {
  const {
    env = process.env,
    platform: platform2 = process.platform
  } = options;
  if (platform2 !== "win32") {
    return "PATH";
  }
  return Object.keys(env).reverse().find((key) => key.toUpperCase() === "PATH") || "Path";
}

// node_modules/unicorn-magic/node.js
import { promisify } from "node:util";
import { execFile as execFileCallback, execFileSync as execFileSyncOriginal } from "node:child_process";
import path from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";
var execFileOriginal = promisify(execFileCallback);
function toPath(urlOrPath) {
  return urlOrPath instanceof URL ? fileURLToPath2(urlOrPath) : urlOrPath;
}
function traversePathUp(startPath) {
  return {
    *[Symbol.iterator]() {
      let currentPath = path.resolve(toPath(startPath));
      let previousPath;
      while (previousPath !== currentPath) {
        yield currentPath;
        previousPath = currentPath;
        currentPath = path.resolve(currentPath, "..");
      }
    }
  };
}
var TEN_MEGABYTES_IN_BYTES = 10 * 1024 * 1024;

// node_modules/npm-run-path/index.js
var npmRunPath = ({
  cwd = process4.cwd(),
  path: pathOption = process4.env[pathKey()],
  preferLocal = true,
  execPath: execPath2 = process4.execPath,
  addExecPath = true
} = {}) => {
  const cwdPath = path2.resolve(toPath(cwd));
  const result = [];
  const pathParts = pathOption.split(path2.delimiter);
  if (preferLocal) {
    applyPreferLocal(result, pathParts, cwdPath);
  }
  if (addExecPath) {
    applyExecPath(result, pathParts, execPath2, cwdPath);
  }
  return pathOption === "" || pathOption === path2.delimiter ? `${result.join(path2.delimiter)}${pathOption}` : [...result, pathOption].join(path2.delimiter);
};
var applyPreferLocal = (result, pathParts, cwdPath) => {
  for (const directory of traversePathUp(cwdPath)) {
    const pathPart = path2.join(directory, "node_modules/.bin");
    if (!pathParts.includes(pathPart)) {
      result.push(pathPart);
    }
  }
};
var applyExecPath = (result, pathParts, execPath2, cwdPath) => {
  const pathPart = path2.resolve(cwdPath, toPath(execPath2), "..");
  if (!pathParts.includes(pathPart)) {
    result.push(pathPart);
  }
};
var npmRunPathEnv = ({ env = process4.env, ...options } = {}) => {
  env = { ...env };
  const pathName = pathKey({ env });
  options.path = env[pathName];
  env[pathName] = npmRunPath(options);
  return env;
};

// node_modules/execa/lib/terminate/kill.js
import { setTimeout as setTimeout2 } from "node:timers/promises";

// node_modules/execa/lib/return/final-error.js
var getFinalError = (originalError, message, isSync) => {
  const ErrorClass = isSync ? ExecaSyncError : ExecaError;
  const options = originalError instanceof DiscardedError ? {} : { cause: originalError };
  return new ErrorClass(message, options);
};
var DiscardedError = class extends Error {
};
var setErrorName = (ErrorClass, value) => {
  Object.defineProperty(ErrorClass.prototype, "name", {
    value,
    writable: true,
    enumerable: false,
    configurable: true
  });
  Object.defineProperty(ErrorClass.prototype, execaErrorSymbol, {
    value: true,
    writable: false,
    enumerable: false,
    configurable: false
  });
};
var isExecaError = (error) => isErrorInstance(error) && execaErrorSymbol in error;
var execaErrorSymbol = /* @__PURE__ */ Symbol("isExecaError");
var isErrorInstance = (value) => Object.prototype.toString.call(value) === "[object Error]";
var ExecaError = class extends Error {
};
setErrorName(ExecaError, ExecaError.name);
var ExecaSyncError = class extends Error {
};
setErrorName(ExecaSyncError, ExecaSyncError.name);

// node_modules/execa/lib/terminate/signal.js
import { constants as constants3 } from "node:os";

// node_modules/human-signals/build/src/main.js
import { constants as constants2 } from "node:os";

// node_modules/human-signals/build/src/realtime.js
var getRealtimeSignals = () => {
  const length = SIGRTMAX - SIGRTMIN + 1;
  return Array.from({ length }, getRealtimeSignal);
};
var getRealtimeSignal = (value, index) => ({
  name: `SIGRT${index + 1}`,
  number: SIGRTMIN + index,
  action: "terminate",
  description: "Application-specific signal (realtime)",
  standard: "posix"
});
var SIGRTMIN = 34;
var SIGRTMAX = 64;

// node_modules/human-signals/build/src/signals.js
import { constants } from "node:os";

// node_modules/human-signals/build/src/core.js
var SIGNALS = [
  {
    name: "SIGHUP",
    number: 1,
    action: "terminate",
    description: "Terminal closed",
    standard: "posix"
  },
  {
    name: "SIGINT",
    number: 2,
    action: "terminate",
    description: "User interruption with CTRL-C",
    standard: "ansi"
  },
  {
    name: "SIGQUIT",
    number: 3,
    action: "core",
    description: "User interruption with CTRL-\\",
    standard: "posix"
  },
  {
    name: "SIGILL",
    number: 4,
    action: "core",
    description: "Invalid machine instruction",
    standard: "ansi"
  },
  {
    name: "SIGTRAP",
    number: 5,
    action: "core",
    description: "Debugger breakpoint",
    standard: "posix"
  },
  {
    name: "SIGABRT",
    number: 6,
    action: "core",
    description: "Aborted",
    standard: "ansi"
  },
  {
    name: "SIGIOT",
    number: 6,
    action: "core",
    description: "Aborted",
    standard: "bsd"
  },
  {
    name: "SIGBUS",
    number: 7,
    action: "core",
    description: "Bus error due to misaligned, non-existing address or paging error",
    standard: "bsd"
  },
  {
    name: "SIGEMT",
    number: 7,
    action: "terminate",
    description: "Command should be emulated but is not implemented",
    standard: "other"
  },
  {
    name: "SIGFPE",
    number: 8,
    action: "core",
    description: "Floating point arithmetic error",
    standard: "ansi"
  },
  {
    name: "SIGKILL",
    number: 9,
    action: "terminate",
    description: "Forced termination",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGUSR1",
    number: 10,
    action: "terminate",
    description: "Application-specific signal",
    standard: "posix"
  },
  {
    name: "SIGSEGV",
    number: 11,
    action: "core",
    description: "Segmentation fault",
    standard: "ansi"
  },
  {
    name: "SIGUSR2",
    number: 12,
    action: "terminate",
    description: "Application-specific signal",
    standard: "posix"
  },
  {
    name: "SIGPIPE",
    number: 13,
    action: "terminate",
    description: "Broken pipe or socket",
    standard: "posix"
  },
  {
    name: "SIGALRM",
    number: 14,
    action: "terminate",
    description: "Timeout or timer",
    standard: "posix"
  },
  {
    name: "SIGTERM",
    number: 15,
    action: "terminate",
    description: "Termination",
    standard: "ansi"
  },
  {
    name: "SIGSTKFLT",
    number: 16,
    action: "terminate",
    description: "Stack is empty or overflowed",
    standard: "other"
  },
  {
    name: "SIGCHLD",
    number: 17,
    action: "ignore",
    description: "Child process terminated, paused or unpaused",
    standard: "posix"
  },
  {
    name: "SIGCLD",
    number: 17,
    action: "ignore",
    description: "Child process terminated, paused or unpaused",
    standard: "other"
  },
  {
    name: "SIGCONT",
    number: 18,
    action: "unpause",
    description: "Unpaused",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGSTOP",
    number: 19,
    action: "pause",
    description: "Paused",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGTSTP",
    number: 20,
    action: "pause",
    description: 'Paused using CTRL-Z or "suspend"',
    standard: "posix"
  },
  {
    name: "SIGTTIN",
    number: 21,
    action: "pause",
    description: "Background process cannot read terminal input",
    standard: "posix"
  },
  {
    name: "SIGBREAK",
    number: 21,
    action: "terminate",
    description: "User interruption with CTRL-BREAK",
    standard: "other"
  },
  {
    name: "SIGTTOU",
    number: 22,
    action: "pause",
    description: "Background process cannot write to terminal output",
    standard: "posix"
  },
  {
    name: "SIGURG",
    number: 23,
    action: "ignore",
    description: "Socket received out-of-band data",
    standard: "bsd"
  },
  {
    name: "SIGXCPU",
    number: 24,
    action: "core",
    description: "Process timed out",
    standard: "bsd"
  },
  {
    name: "SIGXFSZ",
    number: 25,
    action: "core",
    description: "File too big",
    standard: "bsd"
  },
  {
    name: "SIGVTALRM",
    number: 26,
    action: "terminate",
    description: "Timeout or timer",
    standard: "bsd"
  },
  {
    name: "SIGPROF",
    number: 27,
    action: "terminate",
    description: "Timeout or timer",
    standard: "bsd"
  },
  {
    name: "SIGWINCH",
    number: 28,
    action: "ignore",
    description: "Terminal window size changed",
    standard: "bsd"
  },
  {
    name: "SIGIO",
    number: 29,
    action: "terminate",
    description: "I/O is available",
    standard: "other"
  },
  {
    name: "SIGPOLL",
    number: 29,
    action: "terminate",
    description: "Watched event",
    standard: "other"
  },
  {
    name: "SIGINFO",
    number: 29,
    action: "ignore",
    description: "Request for process information",
    standard: "other"
  },
  {
    name: "SIGPWR",
    number: 30,
    action: "terminate",
    description: "Device running out of power",
    standard: "systemv"
  },
  {
    name: "SIGSYS",
    number: 31,
    action: "core",
    description: "Invalid system call",
    standard: "other"
  },
  {
    name: "SIGUNUSED",
    number: 31,
    action: "terminate",
    description: "Invalid system call",
    standard: "other"
  }
];

// node_modules/human-signals/build/src/signals.js
var getSignals = () => {
  const realtimeSignals = getRealtimeSignals();
  const signals2 = [...SIGNALS, ...realtimeSignals].map(normalizeSignal);
  return signals2;
};
var normalizeSignal = ({
  name,
  number: defaultNumber,
  description,
  action,
  forced = false,
  standard
}) => {
  const {
    signals: { [name]: constantSignal }
  } = constants;
  const supported = constantSignal !== void 0;
  const number = supported ? constantSignal : defaultNumber;
  return { name, number, description, supported, action, forced, standard };
};

// node_modules/human-signals/build/src/main.js
var getSignalsByName = () => {
  const signals2 = getSignals();
  return Object.fromEntries(signals2.map(getSignalByName));
};
var getSignalByName = ({
  name,
  number,
  description,
  supported,
  action,
  forced,
  standard
}) => [name, { name, number, description, supported, action, forced, standard }];
var signalsByName = getSignalsByName();
var getSignalsByNumber = () => {
  const signals2 = getSignals();
  const length = SIGRTMAX + 1;
  const signalsA = Array.from(
    { length },
    (value, number) => getSignalByNumber(number, signals2)
  );
  return Object.assign({}, ...signalsA);
};
var getSignalByNumber = (number, signals2) => {
  const signal = findSignalByNumber(number, signals2);
  if (signal === void 0) {
    return {};
  }
  const { name, description, supported, action, forced, standard } = signal;
  return {
    [number]: {
      name,
      number,
      description,
      supported,
      action,
      forced,
      standard
    }
  };
};
var findSignalByNumber = (number, signals2) => {
  const signal = signals2.find(({ name }) => constants2.signals[name] === number);
  if (signal !== void 0) {
    return signal;
  }
  return signals2.find((signalA) => signalA.number === number);
};
var signalsByNumber = getSignalsByNumber();

// node_modules/execa/lib/terminate/signal.js
var normalizeKillSignal = (killSignal) => {
  const optionName = "option `killSignal`";
  if (killSignal === 0) {
    throw new TypeError(`Invalid ${optionName}: 0 cannot be used.`);
  }
  return normalizeSignal2(killSignal, optionName);
};
var normalizeSignalArgument = (signal) => signal === 0 ? signal : normalizeSignal2(signal, "`subprocess.kill()`'s argument");
var normalizeSignal2 = (signalNameOrInteger, optionName) => {
  if (Number.isInteger(signalNameOrInteger)) {
    return normalizeSignalInteger(signalNameOrInteger, optionName);
  }
  if (typeof signalNameOrInteger === "string") {
    return normalizeSignalName(signalNameOrInteger, optionName);
  }
  throw new TypeError(`Invalid ${optionName} ${String(signalNameOrInteger)}: it must be a string or an integer.
${getAvailableSignals()}`);
};
var normalizeSignalInteger = (signalInteger, optionName) => {
  if (signalsIntegerToName.has(signalInteger)) {
    return signalsIntegerToName.get(signalInteger);
  }
  throw new TypeError(`Invalid ${optionName} ${signalInteger}: this signal integer does not exist.
${getAvailableSignals()}`);
};
var getSignalsIntegerToName = () => new Map(Object.entries(constants3.signals).reverse().map(([signalName, signalInteger]) => [signalInteger, signalName]));
var signalsIntegerToName = getSignalsIntegerToName();
var normalizeSignalName = (signalName, optionName) => {
  if (signalName in constants3.signals) {
    return signalName;
  }
  if (signalName.toUpperCase() in constants3.signals) {
    throw new TypeError(`Invalid ${optionName} '${signalName}': please rename it to '${signalName.toUpperCase()}'.`);
  }
  throw new TypeError(`Invalid ${optionName} '${signalName}': this signal name does not exist.
${getAvailableSignals()}`);
};
var getAvailableSignals = () => `Available signal names: ${getAvailableSignalNames()}.
Available signal numbers: ${getAvailableSignalIntegers()}.`;
var getAvailableSignalNames = () => Object.keys(constants3.signals).sort().map((signalName) => `'${signalName}'`).join(", ");
var getAvailableSignalIntegers = () => [...new Set(Object.values(constants3.signals).sort((signalInteger, signalIntegerTwo) => signalInteger - signalIntegerTwo))].join(", ");
var getSignalDescription = (signal) => signalsByName[signal].description;

// node_modules/execa/lib/terminate/kill.js
var normalizeForceKillAfterDelay = (forceKillAfterDelay) => {
  if (forceKillAfterDelay === false) {
    return forceKillAfterDelay;
  }
  if (forceKillAfterDelay === true) {
    return DEFAULT_FORCE_KILL_TIMEOUT;
  }
  if (!Number.isFinite(forceKillAfterDelay) || forceKillAfterDelay < 0) {
    throw new TypeError(`Expected the \`forceKillAfterDelay\` option to be a non-negative integer, got \`${forceKillAfterDelay}\` (${typeof forceKillAfterDelay})`);
  }
  return forceKillAfterDelay;
};
var DEFAULT_FORCE_KILL_TIMEOUT = 1e3 * 5;
var subprocessKill = ({ kill, options: { forceKillAfterDelay, killSignal }, onInternalError, context, controller }, signalOrError, errorArgument) => {
  const { signal, error } = parseKillArguments(signalOrError, errorArgument, killSignal);
  emitKillError(error, onInternalError);
  const killResult = kill(signal);
  setKillTimeout({
    kill,
    signal,
    forceKillAfterDelay,
    killSignal,
    killResult,
    context,
    controller
  });
  return killResult;
};
var parseKillArguments = (signalOrError, errorArgument, killSignal) => {
  const [signal = killSignal, error] = isErrorInstance(signalOrError) ? [void 0, signalOrError] : [signalOrError, errorArgument];
  if (typeof signal !== "string" && !Number.isInteger(signal)) {
    throw new TypeError(`The first argument must be an error instance or a signal name string/integer: ${String(signal)}`);
  }
  if (error !== void 0 && !isErrorInstance(error)) {
    throw new TypeError(`The second argument is optional. If specified, it must be an error instance: ${error}`);
  }
  return { signal: normalizeSignalArgument(signal), error };
};
var emitKillError = (error, onInternalError) => {
  if (error !== void 0) {
    onInternalError.reject(error);
  }
};
var setKillTimeout = async ({ kill, signal, forceKillAfterDelay, killSignal, killResult, context, controller }) => {
  if (signal === killSignal && killResult) {
    killOnTimeout({
      kill,
      forceKillAfterDelay,
      context,
      controllerSignal: controller.signal
    });
  }
};
var killOnTimeout = async ({ kill, forceKillAfterDelay, context, controllerSignal }) => {
  if (forceKillAfterDelay === false) {
    return;
  }
  try {
    await setTimeout2(forceKillAfterDelay, void 0, { signal: controllerSignal });
    if (kill("SIGKILL")) {
      context.isForcefullyTerminated ??= true;
    }
  } catch {
  }
};

// node_modules/execa/lib/utils/abort-signal.js
import { once } from "node:events";
var onAbortedSignal = async (mainSignal, stopSignal) => {
  if (!mainSignal.aborted) {
    await once(mainSignal, "abort", { signal: stopSignal });
  }
};

// node_modules/execa/lib/terminate/cancel.js
var validateCancelSignal = ({ cancelSignal }) => {
  if (cancelSignal !== void 0 && Object.prototype.toString.call(cancelSignal) !== "[object AbortSignal]") {
    throw new Error(`The \`cancelSignal\` option must be an AbortSignal: ${String(cancelSignal)}`);
  }
};
var throwOnCancel = ({ subprocess, cancelSignal, gracefulCancel, context, controller }) => cancelSignal === void 0 || gracefulCancel ? [] : [terminateOnCancel(subprocess, cancelSignal, context, controller)];
var terminateOnCancel = async (subprocess, cancelSignal, context, { signal }) => {
  await onAbortedSignal(cancelSignal, signal);
  context.terminationReason ??= "cancel";
  subprocess.kill();
  throw cancelSignal.reason;
};

// node_modules/execa/lib/ipc/graceful.js
import { scheduler as scheduler2 } from "node:timers/promises";

// node_modules/execa/lib/ipc/send.js
import { promisify as promisify2 } from "node:util";

// node_modules/execa/lib/ipc/validation.js
var validateIpcMethod = ({ methodName, isSubprocess, ipc, isConnected: isConnected2 }) => {
  validateIpcOption(methodName, isSubprocess, ipc);
  validateConnection(methodName, isSubprocess, isConnected2);
};
var validateIpcOption = (methodName, isSubprocess, ipc) => {
  if (!ipc) {
    throw new Error(`${getMethodName(methodName, isSubprocess)} can only be used if the \`ipc\` option is \`true\`.`);
  }
};
var validateConnection = (methodName, isSubprocess, isConnected2) => {
  if (!isConnected2) {
    throw new Error(`${getMethodName(methodName, isSubprocess)} cannot be used: the ${getOtherProcessName(isSubprocess)} has already exited or disconnected.`);
  }
};
var throwOnEarlyDisconnect = (isSubprocess) => {
  throw new Error(`${getMethodName("getOneMessage", isSubprocess)} could not complete: the ${getOtherProcessName(isSubprocess)} exited or disconnected.`);
};
var throwOnStrictDeadlockError = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} is sending a message too, instead of listening to incoming messages.
This can be fixed by both sending a message and listening to incoming messages at the same time:

const [receivedMessage] = await Promise.all([
	${getMethodName("getOneMessage", isSubprocess)},
	${getMethodName("sendMessage", isSubprocess, "message, {strict: true}")},
]);`);
};
var getStrictResponseError = (error, isSubprocess) => new Error(`${getMethodName("sendMessage", isSubprocess)} failed when sending an acknowledgment response to the ${getOtherProcessName(isSubprocess)}.`, { cause: error });
var throwOnMissingStrict = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} is not listening to incoming messages.`);
};
var throwOnStrictDisconnect = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} exited without listening to incoming messages.`);
};
var getAbortDisconnectError = () => new Error(`\`cancelSignal\` aborted: the ${getOtherProcessName(true)} disconnected.`);
var throwOnMissingParent = () => {
  throw new Error("`getCancelSignal()` cannot be used without setting the `cancelSignal` subprocess option.");
};
var handleEpipeError = ({ error, methodName, isSubprocess }) => {
  if (error.code === "EPIPE") {
    throw new Error(`${getMethodName(methodName, isSubprocess)} cannot be used: the ${getOtherProcessName(isSubprocess)} is disconnecting.`, { cause: error });
  }
};
var handleSerializationError = ({ error, methodName, isSubprocess, message }) => {
  if (isSerializationError(error)) {
    throw new Error(`${getMethodName(methodName, isSubprocess)}'s argument type is invalid: the message cannot be serialized: ${String(message)}.`, { cause: error });
  }
};
var isSerializationError = ({ code, message }) => SERIALIZATION_ERROR_CODES.has(code) || SERIALIZATION_ERROR_MESSAGES.some((serializationErrorMessage) => message.includes(serializationErrorMessage));
var SERIALIZATION_ERROR_CODES = /* @__PURE__ */ new Set([
  // Message is `undefined`
  "ERR_MISSING_ARGS",
  // Message is a function, a bigint, a symbol
  "ERR_INVALID_ARG_TYPE"
]);
var SERIALIZATION_ERROR_MESSAGES = [
  // Message is a promise or a proxy, with `serialization: 'advanced'`
  "could not be cloned",
  // Message has cycles, with `serialization: 'json'`
  "circular structure",
  // Message has cycles inside toJSON(), with `serialization: 'json'`
  "call stack size exceeded"
];
var getMethodName = (methodName, isSubprocess, parameters = "") => methodName === "cancelSignal" ? "`cancelSignal`'s `controller.abort()`" : `${getNamespaceName(isSubprocess)}${methodName}(${parameters})`;
var getNamespaceName = (isSubprocess) => isSubprocess ? "" : "subprocess.";
var getOtherProcessName = (isSubprocess) => isSubprocess ? "parent process" : "subprocess";
var disconnect = (anyProcess) => {
  if (anyProcess.connected) {
    anyProcess.disconnect();
  }
};

// node_modules/execa/lib/utils/deferred.js
var createDeferred = () => {
  const methods = {};
  const promise = new Promise((resolve12, reject) => {
    Object.assign(methods, { resolve: resolve12, reject });
  });
  return Object.assign(promise, methods);
};

// node_modules/execa/lib/arguments/fd-options.js
var getToStream = (destination, to = "stdin") => {
  const isWritable = true;
  const { options, fileDescriptors } = SUBPROCESS_OPTIONS.get(destination);
  const fdNumber = getFdNumber(fileDescriptors, to, isWritable);
  const destinationStream = destination.stdio[fdNumber];
  if (destinationStream === null) {
    throw new TypeError(getInvalidStdioOptionMessage(fdNumber, to, options, isWritable));
  }
  return destinationStream;
};
var getFromStream = (source, from = "stdout") => {
  const isWritable = false;
  const { options, fileDescriptors } = SUBPROCESS_OPTIONS.get(source);
  const fdNumber = getFdNumber(fileDescriptors, from, isWritable);
  const sourceStream = fdNumber === "all" ? source.all : source.stdio[fdNumber];
  if (sourceStream === null || sourceStream === void 0) {
    throw new TypeError(getInvalidStdioOptionMessage(fdNumber, from, options, isWritable));
  }
  return sourceStream;
};
var SUBPROCESS_OPTIONS = /* @__PURE__ */ new WeakMap();
var getFdNumber = (fileDescriptors, fdName, isWritable) => {
  const fdNumber = parseFdNumber(fdName, isWritable);
  validateFdNumber(fdNumber, fdName, isWritable, fileDescriptors);
  return fdNumber;
};
var parseFdNumber = (fdName, isWritable) => {
  const fdNumber = parseFd(fdName);
  if (fdNumber !== void 0) {
    return fdNumber;
  }
  const { validOptions, defaultValue } = isWritable ? { validOptions: '"stdin"', defaultValue: "stdin" } : { validOptions: '"stdout", "stderr", "all"', defaultValue: "stdout" };
  throw new TypeError(`"${getOptionName(isWritable)}" must not be "${fdName}".
It must be ${validOptions} or "fd3", "fd4" (and so on).
It is optional and defaults to "${defaultValue}".`);
};
var validateFdNumber = (fdNumber, fdName, isWritable, fileDescriptors) => {
  const fileDescriptor = fileDescriptors[getUsedDescriptor(fdNumber)];
  if (fileDescriptor === void 0) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. That file descriptor does not exist.
Please set the "stdio" option to ensure that file descriptor exists.`);
  }
  if (fileDescriptor.direction === "input" && !isWritable) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. It must be a readable stream, not writable.`);
  }
  if (fileDescriptor.direction !== "input" && isWritable) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. It must be a writable stream, not readable.`);
  }
};
var getInvalidStdioOptionMessage = (fdNumber, fdName, options, isWritable) => {
  if (fdNumber === "all" && !options.all) {
    return `The "all" option must be true to use "from: 'all'".`;
  }
  const { optionName, optionValue } = getInvalidStdioOption(fdNumber, options);
  return `The "${optionName}: ${serializeOptionValue(optionValue)}" option is incompatible with using "${getOptionName(isWritable)}: ${serializeOptionValue(fdName)}".
Please set this option with "pipe" instead.`;
};
var getInvalidStdioOption = (fdNumber, { stdin, stdout, stderr, stdio }) => {
  const usedDescriptor = getUsedDescriptor(fdNumber);
  if (usedDescriptor === 0 && stdin !== void 0) {
    return { optionName: "stdin", optionValue: stdin };
  }
  if (usedDescriptor === 1 && stdout !== void 0) {
    return { optionName: "stdout", optionValue: stdout };
  }
  if (usedDescriptor === 2 && stderr !== void 0) {
    return { optionName: "stderr", optionValue: stderr };
  }
  return { optionName: `stdio[${usedDescriptor}]`, optionValue: stdio[usedDescriptor] };
};
var getUsedDescriptor = (fdNumber) => fdNumber === "all" ? 1 : fdNumber;
var getOptionName = (isWritable) => isWritable ? "to" : "from";
var serializeOptionValue = (value) => {
  if (typeof value === "string") {
    return `'${value}'`;
  }
  return typeof value === "number" ? `${value}` : "Stream";
};

// node_modules/execa/lib/ipc/strict.js
import { once as once3 } from "node:events";

// node_modules/execa/lib/utils/max-listeners.js
import { addAbortListener } from "node:events";
var incrementMaxListeners = (eventEmitter, maxListenersIncrement, signal) => {
  const maxListeners = eventEmitter.getMaxListeners();
  if (maxListeners === 0 || maxListeners === Number.POSITIVE_INFINITY) {
    return;
  }
  eventEmitter.setMaxListeners(maxListeners + maxListenersIncrement);
  addAbortListener(signal, () => {
    eventEmitter.setMaxListeners(eventEmitter.getMaxListeners() - maxListenersIncrement);
  });
};

// node_modules/execa/lib/ipc/forward.js
import { EventEmitter } from "node:events";

// node_modules/execa/lib/ipc/incoming.js
import { once as once2 } from "node:events";
import { scheduler } from "node:timers/promises";

// node_modules/execa/lib/ipc/reference.js
var addReference = (channel, reference) => {
  if (reference) {
    addReferenceCount(channel);
  }
};
var addReferenceCount = (channel) => {
  channel.refCounted();
};
var removeReference = (channel, reference) => {
  if (reference) {
    removeReferenceCount(channel);
  }
};
var removeReferenceCount = (channel) => {
  channel.unrefCounted();
};
var undoAddedReferences = (channel, isSubprocess) => {
  if (isSubprocess) {
    removeReferenceCount(channel);
    removeReferenceCount(channel);
  }
};
var redoAddedReferences = (channel, isSubprocess) => {
  if (isSubprocess) {
    addReferenceCount(channel);
    addReferenceCount(channel);
  }
};

// node_modules/execa/lib/ipc/incoming.js
var onMessage = async ({ anyProcess, channel, isSubprocess, ipcEmitter }, wrappedMessage) => {
  if (handleStrictResponse(wrappedMessage) || handleAbort(wrappedMessage)) {
    return;
  }
  if (!INCOMING_MESSAGES.has(anyProcess)) {
    INCOMING_MESSAGES.set(anyProcess, []);
  }
  const incomingMessages = INCOMING_MESSAGES.get(anyProcess);
  incomingMessages.push(wrappedMessage);
  if (incomingMessages.length > 1) {
    return;
  }
  while (incomingMessages.length > 0) {
    await waitForOutgoingMessages(anyProcess, ipcEmitter, wrappedMessage);
    await scheduler.yield();
    const message = await handleStrictRequest({
      wrappedMessage: incomingMessages[0],
      anyProcess,
      channel,
      isSubprocess,
      ipcEmitter
    });
    incomingMessages.shift();
    ipcEmitter.emit("message", message);
    ipcEmitter.emit("message:done");
  }
};
var onDisconnect = async ({ anyProcess, channel, isSubprocess, ipcEmitter, boundOnMessage }) => {
  abortOnDisconnect();
  const incomingMessages = INCOMING_MESSAGES.get(anyProcess);
  while (incomingMessages?.length > 0) {
    await once2(ipcEmitter, "message:done");
  }
  anyProcess.removeListener("message", boundOnMessage);
  redoAddedReferences(channel, isSubprocess);
  ipcEmitter.connected = false;
  ipcEmitter.emit("disconnect");
};
var INCOMING_MESSAGES = /* @__PURE__ */ new WeakMap();

// node_modules/execa/lib/ipc/forward.js
var getIpcEmitter = (anyProcess, channel, isSubprocess) => {
  if (IPC_EMITTERS.has(anyProcess)) {
    return IPC_EMITTERS.get(anyProcess);
  }
  const ipcEmitter = new EventEmitter();
  ipcEmitter.connected = true;
  IPC_EMITTERS.set(anyProcess, ipcEmitter);
  forwardEvents({
    ipcEmitter,
    anyProcess,
    channel,
    isSubprocess
  });
  return ipcEmitter;
};
var IPC_EMITTERS = /* @__PURE__ */ new WeakMap();
var forwardEvents = ({ ipcEmitter, anyProcess, channel, isSubprocess }) => {
  const boundOnMessage = onMessage.bind(void 0, {
    anyProcess,
    channel,
    isSubprocess,
    ipcEmitter
  });
  anyProcess.on("message", boundOnMessage);
  anyProcess.once("disconnect", onDisconnect.bind(void 0, {
    anyProcess,
    channel,
    isSubprocess,
    ipcEmitter,
    boundOnMessage
  }));
  undoAddedReferences(channel, isSubprocess);
};
var isConnected = (anyProcess) => {
  const ipcEmitter = IPC_EMITTERS.get(anyProcess);
  return ipcEmitter === void 0 ? anyProcess.channel !== null : ipcEmitter.connected;
};

// node_modules/execa/lib/ipc/strict.js
var handleSendStrict = ({ anyProcess, channel, isSubprocess, message, strict }) => {
  if (!strict) {
    return message;
  }
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const hasListeners = hasMessageListeners(anyProcess, ipcEmitter);
  return {
    id: count++,
    type: REQUEST_TYPE,
    message,
    hasListeners
  };
};
var count = 0n;
var validateStrictDeadlock = (outgoingMessages, wrappedMessage) => {
  if (wrappedMessage?.type !== REQUEST_TYPE || wrappedMessage.hasListeners) {
    return;
  }
  for (const { id } of outgoingMessages) {
    if (id !== void 0) {
      STRICT_RESPONSES[id].resolve({ isDeadlock: true, hasListeners: false });
    }
  }
};
var handleStrictRequest = async ({ wrappedMessage, anyProcess, channel, isSubprocess, ipcEmitter }) => {
  if (wrappedMessage?.type !== REQUEST_TYPE || !anyProcess.connected) {
    return wrappedMessage;
  }
  const { id, message } = wrappedMessage;
  const response = { id, type: RESPONSE_TYPE, message: hasMessageListeners(anyProcess, ipcEmitter) };
  try {
    await sendMessage({
      anyProcess,
      channel,
      isSubprocess,
      ipc: true
    }, response);
  } catch (error) {
    ipcEmitter.emit("strict:error", error);
  }
  return message;
};
var handleStrictResponse = (wrappedMessage) => {
  if (wrappedMessage?.type !== RESPONSE_TYPE) {
    return false;
  }
  const { id, message: hasListeners } = wrappedMessage;
  STRICT_RESPONSES[id]?.resolve({ isDeadlock: false, hasListeners });
  return true;
};
var waitForStrictResponse = async (wrappedMessage, anyProcess, isSubprocess) => {
  if (wrappedMessage?.type !== REQUEST_TYPE) {
    return;
  }
  const deferred = createDeferred();
  STRICT_RESPONSES[wrappedMessage.id] = deferred;
  const controller = new AbortController();
  try {
    const { isDeadlock, hasListeners } = await Promise.race([
      deferred,
      throwOnDisconnect(anyProcess, isSubprocess, controller)
    ]);
    if (isDeadlock) {
      throwOnStrictDeadlockError(isSubprocess);
    }
    if (!hasListeners) {
      throwOnMissingStrict(isSubprocess);
    }
  } finally {
    controller.abort();
    delete STRICT_RESPONSES[wrappedMessage.id];
  }
};
var STRICT_RESPONSES = {};
var throwOnDisconnect = async (anyProcess, isSubprocess, { signal }) => {
  incrementMaxListeners(anyProcess, 1, signal);
  await once3(anyProcess, "disconnect", { signal });
  throwOnStrictDisconnect(isSubprocess);
};
var REQUEST_TYPE = "execa:ipc:request";
var RESPONSE_TYPE = "execa:ipc:response";

// node_modules/execa/lib/ipc/outgoing.js
var startSendMessage = (anyProcess, wrappedMessage, strict) => {
  if (!OUTGOING_MESSAGES.has(anyProcess)) {
    OUTGOING_MESSAGES.set(anyProcess, /* @__PURE__ */ new Set());
  }
  const outgoingMessages = OUTGOING_MESSAGES.get(anyProcess);
  const onMessageSent = createDeferred();
  const id = strict ? wrappedMessage.id : void 0;
  const outgoingMessage = { onMessageSent, id };
  outgoingMessages.add(outgoingMessage);
  return { outgoingMessages, outgoingMessage };
};
var endSendMessage = ({ outgoingMessages, outgoingMessage }) => {
  outgoingMessages.delete(outgoingMessage);
  outgoingMessage.onMessageSent.resolve();
};
var waitForOutgoingMessages = async (anyProcess, ipcEmitter, wrappedMessage) => {
  while (!hasMessageListeners(anyProcess, ipcEmitter) && OUTGOING_MESSAGES.get(anyProcess)?.size > 0) {
    const outgoingMessages = [...OUTGOING_MESSAGES.get(anyProcess)];
    validateStrictDeadlock(outgoingMessages, wrappedMessage);
    await Promise.all(outgoingMessages.map(({ onMessageSent }) => onMessageSent));
  }
};
var OUTGOING_MESSAGES = /* @__PURE__ */ new WeakMap();
var hasMessageListeners = (anyProcess, ipcEmitter) => ipcEmitter.listenerCount("message") > getMinListenerCount(anyProcess);
var getMinListenerCount = (anyProcess) => SUBPROCESS_OPTIONS.has(anyProcess) && !getFdSpecificValue(SUBPROCESS_OPTIONS.get(anyProcess).options.buffer, "ipc") ? 1 : 0;

// node_modules/execa/lib/ipc/send.js
var sendMessage = ({ anyProcess, channel, isSubprocess, ipc }, message, { strict = false } = {}) => {
  const methodName = "sendMessage";
  validateIpcMethod({
    methodName,
    isSubprocess,
    ipc,
    isConnected: anyProcess.connected
  });
  return sendMessageAsync({
    anyProcess,
    channel,
    methodName,
    isSubprocess,
    message,
    strict
  });
};
var sendMessageAsync = async ({ anyProcess, channel, methodName, isSubprocess, message, strict }) => {
  const wrappedMessage = handleSendStrict({
    anyProcess,
    channel,
    isSubprocess,
    message,
    strict
  });
  const outgoingMessagesState = startSendMessage(anyProcess, wrappedMessage, strict);
  try {
    await sendOneMessage({
      anyProcess,
      methodName,
      isSubprocess,
      wrappedMessage,
      message
    });
  } catch (error) {
    disconnect(anyProcess);
    throw error;
  } finally {
    endSendMessage(outgoingMessagesState);
  }
};
var sendOneMessage = async ({ anyProcess, methodName, isSubprocess, wrappedMessage, message }) => {
  const sendMethod = getSendMethod(anyProcess);
  try {
    await Promise.all([
      waitForStrictResponse(wrappedMessage, anyProcess, isSubprocess),
      sendMethod(wrappedMessage)
    ]);
  } catch (error) {
    handleEpipeError({ error, methodName, isSubprocess });
    handleSerializationError({
      error,
      methodName,
      isSubprocess,
      message
    });
    throw error;
  }
};
var getSendMethod = (anyProcess) => {
  if (PROCESS_SEND_METHODS.has(anyProcess)) {
    return PROCESS_SEND_METHODS.get(anyProcess);
  }
  const sendMethod = promisify2(anyProcess.send.bind(anyProcess));
  PROCESS_SEND_METHODS.set(anyProcess, sendMethod);
  return sendMethod;
};
var PROCESS_SEND_METHODS = /* @__PURE__ */ new WeakMap();

// node_modules/execa/lib/ipc/graceful.js
var sendAbort = (subprocess, message) => {
  const methodName = "cancelSignal";
  validateConnection(methodName, false, subprocess.connected);
  return sendOneMessage({
    anyProcess: subprocess,
    methodName,
    isSubprocess: false,
    wrappedMessage: { type: GRACEFUL_CANCEL_TYPE, message },
    message
  });
};
var getCancelSignal = async ({ anyProcess, channel, isSubprocess, ipc }) => {
  await startIpc({
    anyProcess,
    channel,
    isSubprocess,
    ipc
  });
  return cancelController.signal;
};
var startIpc = async ({ anyProcess, channel, isSubprocess, ipc }) => {
  if (cancelListening) {
    return;
  }
  cancelListening = true;
  if (!ipc) {
    throwOnMissingParent();
    return;
  }
  if (channel === null) {
    abortOnDisconnect();
    return;
  }
  getIpcEmitter(anyProcess, channel, isSubprocess);
  await scheduler2.yield();
};
var cancelListening = false;
var handleAbort = (wrappedMessage) => {
  if (wrappedMessage?.type !== GRACEFUL_CANCEL_TYPE) {
    return false;
  }
  cancelController.abort(wrappedMessage.message);
  return true;
};
var GRACEFUL_CANCEL_TYPE = "execa:ipc:cancel";
var abortOnDisconnect = () => {
  cancelController.abort(getAbortDisconnectError());
};
var cancelController = new AbortController();

// node_modules/execa/lib/terminate/graceful.js
var validateGracefulCancel = ({ gracefulCancel, cancelSignal, ipc, serialization }) => {
  if (!gracefulCancel) {
    return;
  }
  if (cancelSignal === void 0) {
    throw new Error("The `cancelSignal` option must be defined when setting the `gracefulCancel` option.");
  }
  if (!ipc) {
    throw new Error("The `ipc` option cannot be false when setting the `gracefulCancel` option.");
  }
  if (serialization === "json") {
    throw new Error("The `serialization` option cannot be 'json' when setting the `gracefulCancel` option.");
  }
};
var throwOnGracefulCancel = ({
  subprocess,
  cancelSignal,
  gracefulCancel,
  forceKillAfterDelay,
  context,
  controller
}) => gracefulCancel ? [sendOnAbort({
  subprocess,
  cancelSignal,
  forceKillAfterDelay,
  context,
  controller
})] : [];
var sendOnAbort = async ({ subprocess, cancelSignal, forceKillAfterDelay, context, controller: { signal } }) => {
  await onAbortedSignal(cancelSignal, signal);
  const reason = getReason(cancelSignal);
  await sendAbort(subprocess, reason);
  killOnTimeout({
    kill: subprocess.kill,
    forceKillAfterDelay,
    context,
    controllerSignal: signal
  });
  context.terminationReason ??= "gracefulCancel";
  throw cancelSignal.reason;
};
var getReason = ({ reason }) => {
  if (!(reason instanceof DOMException)) {
    return reason;
  }
  const error = new Error(reason.message);
  Object.defineProperty(error, "stack", {
    value: reason.stack,
    enumerable: false,
    configurable: true,
    writable: true
  });
  return error;
};

// node_modules/execa/lib/terminate/timeout.js
import { setTimeout as setTimeout3 } from "node:timers/promises";
var validateTimeout = ({ timeout }) => {
  if (timeout !== void 0 && (!Number.isFinite(timeout) || timeout < 0)) {
    throw new TypeError(`Expected the \`timeout\` option to be a non-negative integer, got \`${timeout}\` (${typeof timeout})`);
  }
};
var throwOnTimeout = (subprocess, timeout, context, controller) => timeout === 0 || timeout === void 0 ? [] : [killAfterTimeout(subprocess, timeout, context, controller)];
var killAfterTimeout = async (subprocess, timeout, context, { signal }) => {
  await setTimeout3(timeout, void 0, { signal });
  context.terminationReason ??= "timeout";
  subprocess.kill();
  throw new DiscardedError();
};

// node_modules/execa/lib/methods/node.js
import { execPath, execArgv } from "node:process";
import path3 from "node:path";
var mapNode = ({ options }) => {
  if (options.node === false) {
    throw new TypeError('The "node" option cannot be false with `execaNode()`.');
  }
  return { options: { ...options, node: true } };
};
var handleNodeOption = (file, commandArguments, {
  node: shouldHandleNode = false,
  nodePath = execPath,
  nodeOptions = execArgv.filter((nodeOption) => !nodeOption.startsWith("--inspect")),
  cwd,
  execPath: formerNodePath,
  ...options
}) => {
  if (formerNodePath !== void 0) {
    throw new TypeError('The "execPath" option has been removed. Please use the "nodePath" option instead.');
  }
  const normalizedNodePath = safeNormalizeFileUrl(nodePath, 'The "nodePath" option');
  const resolvedNodePath = path3.resolve(cwd, normalizedNodePath);
  const newOptions = {
    ...options,
    nodePath: resolvedNodePath,
    node: shouldHandleNode,
    cwd
  };
  if (!shouldHandleNode) {
    return [file, commandArguments, newOptions];
  }
  if (path3.basename(file, ".exe") === "node") {
    throw new TypeError('When the "node" option is true, the first argument does not need to be "node".');
  }
  return [
    resolvedNodePath,
    [...nodeOptions, file, ...commandArguments],
    { ipc: true, ...newOptions, shell: false }
  ];
};

// node_modules/execa/lib/ipc/ipc-input.js
import { serialize } from "node:v8";
var validateIpcInputOption = ({ ipcInput, ipc, serialization }) => {
  if (ipcInput === void 0) {
    return;
  }
  if (!ipc) {
    throw new Error("The `ipcInput` option cannot be set unless the `ipc` option is `true`.");
  }
  validateIpcInput[serialization](ipcInput);
};
var validateAdvancedInput = (ipcInput) => {
  try {
    serialize(ipcInput);
  } catch (error) {
    throw new Error("The `ipcInput` option is not serializable with a structured clone.", { cause: error });
  }
};
var validateJsonInput = (ipcInput) => {
  try {
    JSON.stringify(ipcInput);
  } catch (error) {
    throw new Error("The `ipcInput` option is not serializable with JSON.", { cause: error });
  }
};
var validateIpcInput = {
  advanced: validateAdvancedInput,
  json: validateJsonInput
};
var sendIpcInput = async (subprocess, ipcInput) => {
  if (ipcInput === void 0) {
    return;
  }
  await subprocess.sendMessage(ipcInput);
};

// node_modules/execa/lib/arguments/encoding-option.js
var validateEncoding = ({ encoding }) => {
  if (ENCODINGS.has(encoding)) {
    return;
  }
  const correctEncoding = getCorrectEncoding(encoding);
  if (correctEncoding !== void 0) {
    throw new TypeError(`Invalid option \`encoding: ${serializeEncoding(encoding)}\`.
Please rename it to ${serializeEncoding(correctEncoding)}.`);
  }
  const correctEncodings = [...ENCODINGS].map((correctEncoding2) => serializeEncoding(correctEncoding2)).join(", ");
  throw new TypeError(`Invalid option \`encoding: ${serializeEncoding(encoding)}\`.
Please rename it to one of: ${correctEncodings}.`);
};
var TEXT_ENCODINGS = /* @__PURE__ */ new Set(["utf8", "utf16le"]);
var BINARY_ENCODINGS = /* @__PURE__ */ new Set(["buffer", "hex", "base64", "base64url", "latin1", "ascii"]);
var ENCODINGS = /* @__PURE__ */ new Set([...TEXT_ENCODINGS, ...BINARY_ENCODINGS]);
var getCorrectEncoding = (encoding) => {
  if (encoding === null) {
    return "buffer";
  }
  if (typeof encoding !== "string") {
    return;
  }
  const lowerEncoding = encoding.toLowerCase();
  if (lowerEncoding in ENCODING_ALIASES) {
    return ENCODING_ALIASES[lowerEncoding];
  }
  if (ENCODINGS.has(lowerEncoding)) {
    return lowerEncoding;
  }
};
var ENCODING_ALIASES = {
  // eslint-disable-next-line unicorn/text-encoding-identifier-case
  "utf-8": "utf8",
  "utf-16le": "utf16le",
  "ucs-2": "utf16le",
  ucs2: "utf16le",
  binary: "latin1"
};
var serializeEncoding = (encoding) => typeof encoding === "string" ? `"${encoding}"` : String(encoding);

// node_modules/execa/lib/arguments/cwd.js
import { statSync } from "node:fs";
import path4 from "node:path";
import process5 from "node:process";
var normalizeCwd = (cwd = getDefaultCwd()) => {
  const cwdString = safeNormalizeFileUrl(cwd, 'The "cwd" option');
  return path4.resolve(cwdString);
};
var getDefaultCwd = () => {
  try {
    return process5.cwd();
  } catch (error) {
    error.message = `The current directory does not exist.
${error.message}`;
    throw error;
  }
};
var fixCwdError = (originalMessage, cwd) => {
  if (cwd === getDefaultCwd()) {
    return originalMessage;
  }
  let cwdStat;
  try {
    cwdStat = statSync(cwd);
  } catch (error) {
    return `The "cwd" option is invalid: ${cwd}.
${error.message}
${originalMessage}`;
  }
  if (!cwdStat.isDirectory()) {
    return `The "cwd" option is not a directory: ${cwd}.
${originalMessage}`;
  }
  return originalMessage;
};

// node_modules/execa/lib/arguments/options.js
var normalizeOptions = (filePath, rawArguments, rawOptions) => {
  rawOptions.cwd = normalizeCwd(rawOptions.cwd);
  const [processedFile, processedArguments, processedOptions] = handleNodeOption(filePath, rawArguments, rawOptions);
  const { command: file, args: commandArguments, options: initialOptions } = import_cross_spawn.default._parse(processedFile, processedArguments, processedOptions);
  const fdOptions = normalizeFdSpecificOptions(initialOptions);
  const options = addDefaultOptions(fdOptions);
  validateTimeout(options);
  validateEncoding(options);
  validateIpcInputOption(options);
  validateCancelSignal(options);
  validateGracefulCancel(options);
  options.shell = normalizeFileUrl(options.shell);
  options.env = getEnv(options);
  options.killSignal = normalizeKillSignal(options.killSignal);
  options.forceKillAfterDelay = normalizeForceKillAfterDelay(options.forceKillAfterDelay);
  options.lines = options.lines.map((lines, fdNumber) => lines && !BINARY_ENCODINGS.has(options.encoding) && options.buffer[fdNumber]);
  if (process6.platform === "win32" && path5.basename(file, ".exe") === "cmd") {
    commandArguments.unshift("/q");
  }
  return { file, commandArguments, options };
};
var addDefaultOptions = ({
  extendEnv = true,
  preferLocal = false,
  cwd,
  localDir: localDirectory = cwd,
  encoding = "utf8",
  reject = true,
  cleanup = true,
  all = false,
  windowsHide = true,
  killSignal = "SIGTERM",
  forceKillAfterDelay = true,
  gracefulCancel = false,
  ipcInput,
  ipc = ipcInput !== void 0 || gracefulCancel,
  serialization = "advanced",
  ...options
}) => ({
  ...options,
  extendEnv,
  preferLocal,
  cwd,
  localDirectory,
  encoding,
  reject,
  cleanup,
  all,
  windowsHide,
  killSignal,
  forceKillAfterDelay,
  gracefulCancel,
  ipcInput,
  ipc,
  serialization
});
var getEnv = ({ env: envOption, extendEnv, preferLocal, node, localDirectory, nodePath }) => {
  const env = extendEnv ? { ...process6.env, ...envOption } : envOption;
  if (preferLocal || node) {
    return npmRunPathEnv({
      env,
      cwd: localDirectory,
      execPath: nodePath,
      preferLocal,
      addExecPath: node
    });
  }
  return env;
};

// node_modules/execa/lib/arguments/shell.js
var concatenateShell = (file, commandArguments, options) => options.shell && commandArguments.length > 0 ? [[file, ...commandArguments].join(" "), [], options] : [file, commandArguments, options];

// node_modules/execa/lib/return/message.js
import { inspect as inspect2 } from "node:util";

// node_modules/strip-final-newline/index.js
function stripFinalNewline(input) {
  if (typeof input === "string") {
    return stripFinalNewlineString(input);
  }
  if (!(ArrayBuffer.isView(input) && input.BYTES_PER_ELEMENT === 1)) {
    throw new Error("Input must be a string or a Uint8Array");
  }
  return stripFinalNewlineBinary(input);
}
var stripFinalNewlineString = (input) => input.at(-1) === LF ? input.slice(0, input.at(-2) === CR ? -2 : -1) : input;
var stripFinalNewlineBinary = (input) => input.at(-1) === LF_BINARY ? input.subarray(0, input.at(-2) === CR_BINARY ? -2 : -1) : input;
var LF = "\n";
var LF_BINARY = LF.codePointAt(0);
var CR = "\r";
var CR_BINARY = CR.codePointAt(0);

// node_modules/get-stream/source/index.js
import { on } from "node:events";
import { finished } from "node:stream/promises";

// node_modules/is-stream/index.js
function isStream(stream, { checkOpen = true } = {}) {
  return stream !== null && typeof stream === "object" && (stream.writable || stream.readable || !checkOpen || stream.writable === void 0 && stream.readable === void 0) && typeof stream.pipe === "function";
}
function isWritableStream(stream, { checkOpen = true } = {}) {
  return isStream(stream, { checkOpen }) && (stream.writable || !checkOpen) && typeof stream.write === "function" && typeof stream.end === "function" && typeof stream.writable === "boolean" && typeof stream.writableObjectMode === "boolean" && typeof stream.destroy === "function" && typeof stream.destroyed === "boolean";
}
function isReadableStream(stream, { checkOpen = true } = {}) {
  return isStream(stream, { checkOpen }) && (stream.readable || !checkOpen) && typeof stream.read === "function" && typeof stream.readable === "boolean" && typeof stream.readableObjectMode === "boolean" && typeof stream.destroy === "function" && typeof stream.destroyed === "boolean";
}
function isDuplexStream(stream, options) {
  return isWritableStream(stream, options) && isReadableStream(stream, options);
}

// node_modules/@sec-ant/readable-stream/dist/ponyfill/asyncIterator.js
var a = Object.getPrototypeOf(
  Object.getPrototypeOf(
    /* istanbul ignore next */
    async function* () {
    }
  ).prototype
);
var c = class {
  #t;
  #n;
  #r = false;
  #e = void 0;
  constructor(e, t) {
    this.#t = e, this.#n = t;
  }
  next() {
    const e = () => this.#s();
    return this.#e = this.#e ? this.#e.then(e, e) : e(), this.#e;
  }
  return(e) {
    const t = () => this.#i(e);
    return this.#e ? this.#e.then(t, t) : t();
  }
  async #s() {
    if (this.#r)
      return {
        done: true,
        value: void 0
      };
    let e;
    try {
      e = await this.#t.read();
    } catch (t) {
      throw this.#e = void 0, this.#r = true, this.#t.releaseLock(), t;
    }
    return e.done && (this.#e = void 0, this.#r = true, this.#t.releaseLock()), e;
  }
  async #i(e) {
    if (this.#r)
      return {
        done: true,
        value: e
      };
    if (this.#r = true, !this.#n) {
      const t = this.#t.cancel(e);
      return this.#t.releaseLock(), await t, {
        done: true,
        value: e
      };
    }
    return this.#t.releaseLock(), {
      done: true,
      value: e
    };
  }
};
var n = /* @__PURE__ */ Symbol();
function i() {
  return this[n].next();
}
Object.defineProperty(i, "name", { value: "next" });
function o(r) {
  return this[n].return(r);
}
Object.defineProperty(o, "name", { value: "return" });
var u = Object.create(a, {
  next: {
    enumerable: true,
    configurable: true,
    writable: true,
    value: i
  },
  return: {
    enumerable: true,
    configurable: true,
    writable: true,
    value: o
  }
});
function h({ preventCancel: r = false } = {}) {
  const e = this.getReader(), t = new c(
    e,
    r
  ), s = Object.create(u);
  return s[n] = t, s;
}

// node_modules/get-stream/source/stream.js
var getAsyncIterable = (stream) => {
  if (isReadableStream(stream, { checkOpen: false }) && nodeImports.on !== void 0) {
    return getStreamIterable(stream);
  }
  if (typeof stream?.[Symbol.asyncIterator] === "function") {
    return stream;
  }
  if (toString.call(stream) === "[object ReadableStream]") {
    return h.call(stream);
  }
  throw new TypeError("The first argument must be a Readable, a ReadableStream, or an async iterable.");
};
var { toString } = Object.prototype;
var getStreamIterable = async function* (stream) {
  const controller = new AbortController();
  const state = {};
  handleStreamEnd(stream, controller, state);
  try {
    for await (const [chunk] of nodeImports.on(stream, "data", { signal: controller.signal })) {
      yield chunk;
    }
  } catch (error) {
    if (state.error !== void 0) {
      throw state.error;
    } else if (!controller.signal.aborted) {
      throw error;
    }
  } finally {
    stream.destroy();
  }
};
var handleStreamEnd = async (stream, controller, state) => {
  try {
    await nodeImports.finished(stream, {
      cleanup: true,
      readable: true,
      writable: false,
      error: false
    });
  } catch (error) {
    state.error = error;
  } finally {
    controller.abort();
  }
};
var nodeImports = {};

// node_modules/get-stream/source/contents.js
var getStreamContents = async (stream, { init, convertChunk, getSize, truncateChunk, addChunk, getFinalChunk, finalize }, { maxBuffer = Number.POSITIVE_INFINITY } = {}) => {
  const asyncIterable = getAsyncIterable(stream);
  const state = init();
  state.length = 0;
  try {
    for await (const chunk of asyncIterable) {
      const chunkType = getChunkType(chunk);
      const convertedChunk = convertChunk[chunkType](chunk, state);
      appendChunk({
        convertedChunk,
        state,
        getSize,
        truncateChunk,
        addChunk,
        maxBuffer
      });
    }
    appendFinalChunk({
      state,
      convertChunk,
      getSize,
      truncateChunk,
      addChunk,
      getFinalChunk,
      maxBuffer
    });
    return finalize(state);
  } catch (error) {
    const normalizedError = typeof error === "object" && error !== null ? error : new Error(error);
    normalizedError.bufferedData = finalize(state);
    throw normalizedError;
  }
};
var appendFinalChunk = ({ state, getSize, truncateChunk, addChunk, getFinalChunk, maxBuffer }) => {
  const convertedChunk = getFinalChunk(state);
  if (convertedChunk !== void 0) {
    appendChunk({
      convertedChunk,
      state,
      getSize,
      truncateChunk,
      addChunk,
      maxBuffer
    });
  }
};
var appendChunk = ({ convertedChunk, state, getSize, truncateChunk, addChunk, maxBuffer }) => {
  const chunkSize = getSize(convertedChunk);
  const newLength = state.length + chunkSize;
  if (newLength <= maxBuffer) {
    addNewChunk(convertedChunk, state, addChunk, newLength);
    return;
  }
  const truncatedChunk = truncateChunk(convertedChunk, maxBuffer - state.length);
  if (truncatedChunk !== void 0) {
    addNewChunk(truncatedChunk, state, addChunk, maxBuffer);
  }
  throw new MaxBufferError();
};
var addNewChunk = (convertedChunk, state, addChunk, newLength) => {
  state.contents = addChunk(convertedChunk, state, newLength);
  state.length = newLength;
};
var getChunkType = (chunk) => {
  const typeOfChunk = typeof chunk;
  if (typeOfChunk === "string") {
    return "string";
  }
  if (typeOfChunk !== "object" || chunk === null) {
    return "others";
  }
  if (globalThis.Buffer?.isBuffer(chunk)) {
    return "buffer";
  }
  const prototypeName = objectToString2.call(chunk);
  if (prototypeName === "[object ArrayBuffer]") {
    return "arrayBuffer";
  }
  if (prototypeName === "[object DataView]") {
    return "dataView";
  }
  if (Number.isInteger(chunk.byteLength) && Number.isInteger(chunk.byteOffset) && objectToString2.call(chunk.buffer) === "[object ArrayBuffer]") {
    return "typedArray";
  }
  return "others";
};
var { toString: objectToString2 } = Object.prototype;
var MaxBufferError = class extends Error {
  name = "MaxBufferError";
  constructor() {
    super("maxBuffer exceeded");
  }
};

// node_modules/get-stream/source/utils.js
var identity2 = (value) => value;
var noop = () => void 0;
var getContentsProperty = ({ contents }) => contents;
var throwObjectStream = (chunk) => {
  throw new Error(`Streams in object mode are not supported: ${String(chunk)}`);
};
var getLengthProperty = (convertedChunk) => convertedChunk.length;

// node_modules/get-stream/source/array.js
async function getStreamAsArray(stream, options) {
  return getStreamContents(stream, arrayMethods, options);
}
var initArray = () => ({ contents: [] });
var increment = () => 1;
var addArrayChunk = (convertedChunk, { contents }) => {
  contents.push(convertedChunk);
  return contents;
};
var arrayMethods = {
  init: initArray,
  convertChunk: {
    string: identity2,
    buffer: identity2,
    arrayBuffer: identity2,
    dataView: identity2,
    typedArray: identity2,
    others: identity2
  },
  getSize: increment,
  truncateChunk: noop,
  addChunk: addArrayChunk,
  getFinalChunk: noop,
  finalize: getContentsProperty
};

// node_modules/get-stream/source/array-buffer.js
async function getStreamAsArrayBuffer(stream, options) {
  return getStreamContents(stream, arrayBufferMethods, options);
}
var initArrayBuffer = () => ({ contents: new ArrayBuffer(0) });
var useTextEncoder = (chunk) => textEncoder2.encode(chunk);
var textEncoder2 = new TextEncoder();
var useUint8Array = (chunk) => new Uint8Array(chunk);
var useUint8ArrayWithOffset = (chunk) => new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
var truncateArrayBufferChunk = (convertedChunk, chunkSize) => convertedChunk.slice(0, chunkSize);
var addArrayBufferChunk = (convertedChunk, { contents, length: previousLength }, length) => {
  const newContents = hasArrayBufferResize() ? resizeArrayBuffer(contents, length) : resizeArrayBufferSlow(contents, length);
  new Uint8Array(newContents).set(convertedChunk, previousLength);
  return newContents;
};
var resizeArrayBufferSlow = (contents, length) => {
  if (length <= contents.byteLength) {
    return contents;
  }
  const arrayBuffer = new ArrayBuffer(getNewContentsLength(length));
  new Uint8Array(arrayBuffer).set(new Uint8Array(contents), 0);
  return arrayBuffer;
};
var resizeArrayBuffer = (contents, length) => {
  if (length <= contents.maxByteLength) {
    contents.resize(length);
    return contents;
  }
  const arrayBuffer = new ArrayBuffer(length, { maxByteLength: getNewContentsLength(length) });
  new Uint8Array(arrayBuffer).set(new Uint8Array(contents), 0);
  return arrayBuffer;
};
var getNewContentsLength = (length) => SCALE_FACTOR ** Math.ceil(Math.log(length) / Math.log(SCALE_FACTOR));
var SCALE_FACTOR = 2;
var finalizeArrayBuffer = ({ contents, length }) => hasArrayBufferResize() ? contents : contents.slice(0, length);
var hasArrayBufferResize = () => "resize" in ArrayBuffer.prototype;
var arrayBufferMethods = {
  init: initArrayBuffer,
  convertChunk: {
    string: useTextEncoder,
    buffer: useUint8Array,
    arrayBuffer: useUint8Array,
    dataView: useUint8ArrayWithOffset,
    typedArray: useUint8ArrayWithOffset,
    others: throwObjectStream
  },
  getSize: getLengthProperty,
  truncateChunk: truncateArrayBufferChunk,
  addChunk: addArrayBufferChunk,
  getFinalChunk: noop,
  finalize: finalizeArrayBuffer
};

// node_modules/get-stream/source/string.js
async function getStreamAsString(stream, options) {
  return getStreamContents(stream, stringMethods, options);
}
var initString = () => ({ contents: "", textDecoder: new TextDecoder() });
var useTextDecoder = (chunk, { textDecoder: textDecoder2 }) => textDecoder2.decode(chunk, { stream: true });
var addStringChunk = (convertedChunk, { contents }) => contents + convertedChunk;
var truncateStringChunk = (convertedChunk, chunkSize) => convertedChunk.slice(0, chunkSize);
var getFinalStringChunk = ({ textDecoder: textDecoder2 }) => {
  const finalChunk = textDecoder2.decode();
  return finalChunk === "" ? void 0 : finalChunk;
};
var stringMethods = {
  init: initString,
  convertChunk: {
    string: identity2,
    buffer: useTextDecoder,
    arrayBuffer: useTextDecoder,
    dataView: useTextDecoder,
    typedArray: useTextDecoder,
    others: throwObjectStream
  },
  getSize: getLengthProperty,
  truncateChunk: truncateStringChunk,
  addChunk: addStringChunk,
  getFinalChunk: getFinalStringChunk,
  finalize: getContentsProperty
};

// node_modules/get-stream/source/index.js
Object.assign(nodeImports, { on, finished });

// node_modules/execa/lib/io/max-buffer.js
var handleMaxBuffer = ({ error, stream, readableObjectMode, lines, encoding, fdNumber }) => {
  if (!(error instanceof MaxBufferError)) {
    throw error;
  }
  if (fdNumber === "all") {
    return error;
  }
  const unit = getMaxBufferUnit(readableObjectMode, lines, encoding);
  error.maxBufferInfo = { fdNumber, unit };
  stream.destroy();
  throw error;
};
var getMaxBufferUnit = (readableObjectMode, lines, encoding) => {
  if (readableObjectMode) {
    return "objects";
  }
  if (lines) {
    return "lines";
  }
  if (encoding === "buffer") {
    return "bytes";
  }
  return "characters";
};
var checkIpcMaxBuffer = (subprocess, ipcOutput, maxBuffer) => {
  if (ipcOutput.length !== maxBuffer) {
    return;
  }
  const error = new MaxBufferError();
  error.maxBufferInfo = { fdNumber: "ipc" };
  throw error;
};
var getMaxBufferMessage = (error, maxBuffer) => {
  const { streamName, threshold, unit } = getMaxBufferInfo(error, maxBuffer);
  return `Command's ${streamName} was larger than ${threshold} ${unit}`;
};
var getMaxBufferInfo = (error, maxBuffer) => {
  if (error?.maxBufferInfo === void 0) {
    return { streamName: "output", threshold: maxBuffer[1], unit: "bytes" };
  }
  const { maxBufferInfo: { fdNumber, unit } } = error;
  delete error.maxBufferInfo;
  const threshold = getFdSpecificValue(maxBuffer, fdNumber);
  if (fdNumber === "ipc") {
    return { streamName: "IPC output", threshold, unit: "messages" };
  }
  return { streamName: getStreamName(fdNumber), threshold, unit };
};
var isMaxBufferSync = (resultError, output, maxBuffer) => resultError?.code === "ENOBUFS" && output !== null && output.some((result) => result !== null && result.length > getMaxBufferSync(maxBuffer));
var truncateMaxBufferSync = (result, isMaxBuffer, maxBuffer) => {
  if (!isMaxBuffer) {
    return result;
  }
  const maxBufferValue = getMaxBufferSync(maxBuffer);
  return result.length > maxBufferValue ? result.slice(0, maxBufferValue) : result;
};
var getMaxBufferSync = ([, stdoutMaxBuffer]) => stdoutMaxBuffer;

// node_modules/execa/lib/return/message.js
var createMessages = ({
  stdio,
  all,
  ipcOutput,
  originalError,
  signal,
  signalDescription,
  exitCode,
  escapedCommand,
  timedOut: timedOut2,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  forceKillAfterDelay,
  killSignal,
  maxBuffer,
  timeout,
  cwd
}) => {
  const errorCode = originalError?.code;
  const prefix = getErrorPrefix({
    originalError,
    timedOut: timedOut2,
    timeout,
    isMaxBuffer,
    maxBuffer,
    errorCode,
    signal,
    signalDescription,
    exitCode,
    isCanceled,
    isGracefullyCanceled,
    isForcefullyTerminated,
    forceKillAfterDelay,
    killSignal
  });
  const originalMessage = getOriginalMessage(originalError, cwd);
  const suffix = originalMessage === void 0 ? "" : `
${originalMessage}`;
  const shortMessage = `${prefix}: ${escapedCommand}${suffix}`;
  const messageStdio = all === void 0 ? [stdio[2], stdio[1]] : [all];
  const message = [
    shortMessage,
    ...messageStdio,
    ...stdio.slice(3),
    ipcOutput.map((ipcMessage) => serializeIpcMessage(ipcMessage)).join("\n")
  ].map((messagePart) => escapeLines(stripFinalNewline(serializeMessagePart(messagePart)))).filter(Boolean).join("\n\n");
  return { originalMessage, shortMessage, message };
};
var getErrorPrefix = ({
  originalError,
  timedOut: timedOut2,
  timeout,
  isMaxBuffer,
  maxBuffer,
  errorCode,
  signal,
  signalDescription,
  exitCode,
  isCanceled,
  isGracefullyCanceled,
  isForcefullyTerminated,
  forceKillAfterDelay,
  killSignal
}) => {
  const forcefulSuffix = getForcefulSuffix(isForcefullyTerminated, forceKillAfterDelay);
  if (timedOut2) {
    return `Command timed out after ${timeout} milliseconds${forcefulSuffix}`;
  }
  if (isGracefullyCanceled) {
    if (signal === void 0) {
      return `Command was gracefully canceled with exit code ${exitCode}`;
    }
    return isForcefullyTerminated ? `Command was gracefully canceled${forcefulSuffix}` : `Command was gracefully canceled with ${signal} (${signalDescription})`;
  }
  if (isCanceled) {
    return `Command was canceled${forcefulSuffix}`;
  }
  if (isMaxBuffer) {
    return `${getMaxBufferMessage(originalError, maxBuffer)}${forcefulSuffix}`;
  }
  if (errorCode !== void 0) {
    return `Command failed with ${errorCode}${forcefulSuffix}`;
  }
  if (isForcefullyTerminated) {
    return `Command was killed with ${killSignal} (${getSignalDescription(killSignal)})${forcefulSuffix}`;
  }
  if (signal !== void 0) {
    return `Command was killed with ${signal} (${signalDescription})`;
  }
  if (exitCode !== void 0) {
    return `Command failed with exit code ${exitCode}`;
  }
  return "Command failed";
};
var getForcefulSuffix = (isForcefullyTerminated, forceKillAfterDelay) => isForcefullyTerminated ? ` and was forcefully terminated after ${forceKillAfterDelay} milliseconds` : "";
var getOriginalMessage = (originalError, cwd) => {
  if (originalError instanceof DiscardedError) {
    return;
  }
  const originalMessage = isExecaError(originalError) ? originalError.originalMessage : String(originalError?.message ?? originalError);
  const escapedOriginalMessage = escapeLines(fixCwdError(originalMessage, cwd));
  return escapedOriginalMessage === "" ? void 0 : escapedOriginalMessage;
};
var serializeIpcMessage = (ipcMessage) => typeof ipcMessage === "string" ? ipcMessage : inspect2(ipcMessage);
var serializeMessagePart = (messagePart) => Array.isArray(messagePart) ? messagePart.map((messageItem) => stripFinalNewline(serializeMessageItem(messageItem))).filter(Boolean).join("\n") : serializeMessageItem(messagePart);
var serializeMessageItem = (messageItem) => {
  if (typeof messageItem === "string") {
    return messageItem;
  }
  if (isUint8Array(messageItem)) {
    return uint8ArrayToString(messageItem);
  }
  return "";
};

// node_modules/execa/lib/return/result.js
var makeSuccessResult = ({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput,
  options: { cwd },
  startTime
}) => omitUndefinedProperties({
  command,
  escapedCommand,
  cwd,
  durationMs: getDurationMs(startTime),
  failed: false,
  timedOut: false,
  isCanceled: false,
  isGracefullyCanceled: false,
  isTerminated: false,
  isMaxBuffer: false,
  isForcefullyTerminated: false,
  exitCode: 0,
  stdout: stdio[1],
  stderr: stdio[2],
  all,
  stdio,
  ipcOutput,
  pipedFrom: []
});
var makeEarlyError = ({
  error,
  command,
  escapedCommand,
  fileDescriptors,
  options,
  startTime,
  isSync
}) => makeError({
  error,
  command,
  escapedCommand,
  startTime,
  timedOut: false,
  isCanceled: false,
  isGracefullyCanceled: false,
  isMaxBuffer: false,
  isForcefullyTerminated: false,
  stdio: Array.from({ length: fileDescriptors.length }),
  ipcOutput: [],
  options,
  isSync
});
var makeError = ({
  error: originalError,
  command,
  escapedCommand,
  startTime,
  timedOut: timedOut2,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode: rawExitCode,
  signal: rawSignal,
  stdio,
  all,
  ipcOutput,
  options: {
    timeoutDuration,
    timeout = timeoutDuration,
    forceKillAfterDelay,
    killSignal,
    cwd,
    maxBuffer
  },
  isSync
}) => {
  const { exitCode, signal, signalDescription } = normalizeExitPayload(rawExitCode, rawSignal);
  const { originalMessage, shortMessage, message } = createMessages({
    stdio,
    all,
    ipcOutput,
    originalError,
    signal,
    signalDescription,
    exitCode,
    escapedCommand,
    timedOut: timedOut2,
    isCanceled,
    isGracefullyCanceled,
    isMaxBuffer,
    isForcefullyTerminated,
    forceKillAfterDelay,
    killSignal,
    maxBuffer,
    timeout,
    cwd
  });
  const error = getFinalError(originalError, message, isSync);
  Object.assign(error, getErrorProperties({
    error,
    command,
    escapedCommand,
    startTime,
    timedOut: timedOut2,
    isCanceled,
    isGracefullyCanceled,
    isMaxBuffer,
    isForcefullyTerminated,
    exitCode,
    signal,
    signalDescription,
    stdio,
    all,
    ipcOutput,
    cwd,
    originalMessage,
    shortMessage
  }));
  return error;
};
var getErrorProperties = ({
  error,
  command,
  escapedCommand,
  startTime,
  timedOut: timedOut2,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode,
  signal,
  signalDescription,
  stdio,
  all,
  ipcOutput,
  cwd,
  originalMessage,
  shortMessage
}) => omitUndefinedProperties({
  shortMessage,
  originalMessage,
  command,
  escapedCommand,
  cwd,
  durationMs: getDurationMs(startTime),
  failed: true,
  timedOut: timedOut2,
  isCanceled,
  isGracefullyCanceled,
  isTerminated: signal !== void 0,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode,
  signal,
  signalDescription,
  code: error.cause?.code,
  stdout: stdio[1],
  stderr: stdio[2],
  all,
  stdio,
  ipcOutput,
  pipedFrom: []
});
var omitUndefinedProperties = (result) => Object.fromEntries(Object.entries(result).filter(([, value]) => value !== void 0));
var normalizeExitPayload = (rawExitCode, rawSignal) => {
  const exitCode = rawExitCode === null ? void 0 : rawExitCode;
  const signal = rawSignal === null ? void 0 : rawSignal;
  const signalDescription = signal === void 0 ? void 0 : getSignalDescription(rawSignal);
  return { exitCode, signal, signalDescription };
};

// node_modules/parse-ms/index.js
var toZeroIfInfinity = (value) => Number.isFinite(value) ? value : 0;
function parseNumber(milliseconds) {
  return {
    days: Math.trunc(milliseconds / 864e5),
    hours: Math.trunc(milliseconds / 36e5 % 24),
    minutes: Math.trunc(milliseconds / 6e4 % 60),
    seconds: Math.trunc(milliseconds / 1e3 % 60),
    milliseconds: Math.trunc(milliseconds % 1e3),
    microseconds: Math.trunc(toZeroIfInfinity(milliseconds * 1e3) % 1e3),
    nanoseconds: Math.trunc(toZeroIfInfinity(milliseconds * 1e6) % 1e3)
  };
}
function parseBigint(milliseconds) {
  return {
    days: milliseconds / 86400000n,
    hours: milliseconds / 3600000n % 24n,
    minutes: milliseconds / 60000n % 60n,
    seconds: milliseconds / 1000n % 60n,
    milliseconds: milliseconds % 1000n,
    microseconds: 0n,
    nanoseconds: 0n
  };
}
function parseMilliseconds(milliseconds) {
  switch (typeof milliseconds) {
    case "number": {
      if (Number.isFinite(milliseconds)) {
        return parseNumber(milliseconds);
      }
      break;
    }
    case "bigint": {
      return parseBigint(milliseconds);
    }
  }
  throw new TypeError("Expected a finite number or bigint");
}

// node_modules/pretty-ms/index.js
var isZero = (value) => value === 0 || value === 0n;
var pluralize = (word, count2) => count2 === 1 || count2 === 1n ? word : `${word}s`;
var SECOND_ROUNDING_EPSILON = 1e-7;
var ONE_DAY_IN_MILLISECONDS = 24n * 60n * 60n * 1000n;
function prettyMilliseconds(milliseconds, options) {
  const isBigInt = typeof milliseconds === "bigint";
  if (!isBigInt && !Number.isFinite(milliseconds)) {
    throw new TypeError("Expected a finite number or bigint");
  }
  options = { ...options };
  const sign = milliseconds < 0 ? "-" : "";
  milliseconds = milliseconds < 0 ? -milliseconds : milliseconds;
  if (options.colonNotation) {
    options.compact = false;
    options.formatSubMilliseconds = false;
    options.separateMilliseconds = false;
    options.verbose = false;
  }
  if (options.compact) {
    options.unitCount = 1;
    options.secondsDecimalDigits = 0;
    options.millisecondsDecimalDigits = 0;
  }
  let result = [];
  const floorDecimals = (value, decimalDigits) => {
    const flooredInterimValue = Math.floor(value * 10 ** decimalDigits + SECOND_ROUNDING_EPSILON);
    const flooredValue = Math.round(flooredInterimValue) / 10 ** decimalDigits;
    return flooredValue.toFixed(decimalDigits);
  };
  const add = (value, long, short, valueString) => {
    if ((result.length === 0 || !options.colonNotation) && isZero(value) && !(options.colonNotation && short === "m")) {
      return;
    }
    valueString ??= String(value);
    if (options.colonNotation) {
      const wholeDigits = valueString.includes(".") ? valueString.split(".")[0].length : valueString.length;
      const minLength = result.length > 0 ? 2 : 1;
      valueString = "0".repeat(Math.max(0, minLength - wholeDigits)) + valueString;
    } else {
      valueString += options.verbose ? " " + pluralize(long, value) : short;
    }
    result.push(valueString);
  };
  const parsed = parseMilliseconds(milliseconds);
  const days = BigInt(parsed.days);
  if (options.hideYearAndDays) {
    add(BigInt(days) * 24n + BigInt(parsed.hours), "hour", "h");
  } else {
    if (options.hideYear) {
      add(days, "day", "d");
    } else {
      add(days / 365n, "year", "y");
      add(days % 365n, "day", "d");
    }
    add(Number(parsed.hours), "hour", "h");
  }
  add(Number(parsed.minutes), "minute", "m");
  if (!options.hideSeconds) {
    if (options.separateMilliseconds || options.formatSubMilliseconds || !options.colonNotation && milliseconds < 1e3 && !options.subSecondsAsDecimals) {
      const seconds3 = Number(parsed.seconds);
      const milliseconds2 = Number(parsed.milliseconds);
      const microseconds = Number(parsed.microseconds);
      const nanoseconds = Number(parsed.nanoseconds);
      add(seconds3, "second", "s");
      if (options.formatSubMilliseconds) {
        add(milliseconds2, "millisecond", "ms");
        add(microseconds, "microsecond", "\xB5s");
        add(nanoseconds, "nanosecond", "ns");
      } else {
        const millisecondsAndBelow = milliseconds2 + microseconds / 1e3 + nanoseconds / 1e6;
        const millisecondsDecimalDigits = typeof options.millisecondsDecimalDigits === "number" ? options.millisecondsDecimalDigits : 0;
        const roundedMilliseconds = millisecondsAndBelow >= 1 ? Math.round(millisecondsAndBelow) : Math.ceil(millisecondsAndBelow);
        const maximumMilliseconds = 1e3 - 10 ** -millisecondsDecimalDigits;
        const millisecondsString = millisecondsDecimalDigits ? Math.min(millisecondsAndBelow, maximumMilliseconds).toFixed(millisecondsDecimalDigits) : Math.min(roundedMilliseconds, maximumMilliseconds);
        add(
          Number.parseFloat(millisecondsString),
          "millisecond",
          "ms",
          millisecondsString
        );
      }
    } else {
      const seconds3 = (isBigInt ? Number(milliseconds % ONE_DAY_IN_MILLISECONDS) : milliseconds) / 1e3 % 60;
      const secondsDecimalDigits = typeof options.secondsDecimalDigits === "number" ? options.secondsDecimalDigits : 1;
      const secondsFixed = floorDecimals(seconds3, secondsDecimalDigits);
      const secondsString = options.keepDecimalsOnWholeSeconds ? secondsFixed : secondsFixed.replace(/\.0+$/, "");
      add(Number.parseFloat(secondsString), "second", "s", secondsString);
    }
  }
  if (result.length === 0) {
    return sign + "0" + (options.verbose ? " milliseconds" : "ms");
  }
  const separator = options.colonNotation ? ":" : " ";
  if (typeof options.unitCount === "number") {
    result = result.slice(0, Math.max(options.unitCount, 1));
  }
  return sign + result.join(separator);
}

// node_modules/execa/lib/verbose/error.js
var logError = (result, verboseInfo) => {
  if (result.failed) {
    verboseLog({
      type: "error",
      verboseMessage: result.shortMessage,
      verboseInfo,
      result
    });
  }
};

// node_modules/execa/lib/verbose/complete.js
var logResult = (result, verboseInfo) => {
  if (!isVerbose(verboseInfo)) {
    return;
  }
  logError(result, verboseInfo);
  logDuration(result, verboseInfo);
};
var logDuration = (result, verboseInfo) => {
  const verboseMessage = `(done in ${prettyMilliseconds(result.durationMs)})`;
  verboseLog({
    type: "duration",
    verboseMessage,
    verboseInfo,
    result
  });
};

// node_modules/execa/lib/return/reject.js
var handleResult = (result, verboseInfo, { reject }) => {
  logResult(result, verboseInfo);
  if (result.failed && reject) {
    throw result;
  }
  return result;
};

// node_modules/execa/lib/stdio/handle-sync.js
import { readFileSync as readFileSync2 } from "node:fs";

// node_modules/execa/lib/stdio/type.js
var getStdioItemType = (value, optionName) => {
  if (isAsyncGenerator(value)) {
    return "asyncGenerator";
  }
  if (isSyncGenerator(value)) {
    return "generator";
  }
  if (isUrl(value)) {
    return "fileUrl";
  }
  if (isFilePathObject(value)) {
    return "filePath";
  }
  if (isWebStream(value)) {
    return "webStream";
  }
  if (isStream(value, { checkOpen: false })) {
    return "native";
  }
  if (isUint8Array(value)) {
    return "uint8Array";
  }
  if (isAsyncIterableObject(value)) {
    return "asyncIterable";
  }
  if (isIterableObject(value)) {
    return "iterable";
  }
  if (isTransformStream(value)) {
    return getTransformStreamType({ transform: value }, optionName);
  }
  if (isTransformOptions(value)) {
    return getTransformObjectType(value, optionName);
  }
  return "native";
};
var getTransformObjectType = (value, optionName) => {
  if (isDuplexStream(value.transform, { checkOpen: false })) {
    return getDuplexType(value, optionName);
  }
  if (isTransformStream(value.transform)) {
    return getTransformStreamType(value, optionName);
  }
  return getGeneratorObjectType(value, optionName);
};
var getDuplexType = (value, optionName) => {
  validateNonGeneratorType(value, optionName, "Duplex stream");
  return "duplex";
};
var getTransformStreamType = (value, optionName) => {
  validateNonGeneratorType(value, optionName, "web TransformStream");
  return "webTransform";
};
var validateNonGeneratorType = ({ final, binary, objectMode }, optionName, typeName) => {
  checkUndefinedOption(final, `${optionName}.final`, typeName);
  checkUndefinedOption(binary, `${optionName}.binary`, typeName);
  checkBooleanOption(objectMode, `${optionName}.objectMode`);
};
var checkUndefinedOption = (value, optionName, typeName) => {
  if (value !== void 0) {
    throw new TypeError(`The \`${optionName}\` option can only be defined when using a generator, not a ${typeName}.`);
  }
};
var getGeneratorObjectType = ({ transform, final, binary, objectMode }, optionName) => {
  if (transform !== void 0 && !isGenerator(transform)) {
    throw new TypeError(`The \`${optionName}.transform\` option must be a generator, a Duplex stream or a web TransformStream.`);
  }
  if (isDuplexStream(final, { checkOpen: false })) {
    throw new TypeError(`The \`${optionName}.final\` option must not be a Duplex stream.`);
  }
  if (isTransformStream(final)) {
    throw new TypeError(`The \`${optionName}.final\` option must not be a web TransformStream.`);
  }
  if (final !== void 0 && !isGenerator(final)) {
    throw new TypeError(`The \`${optionName}.final\` option must be a generator.`);
  }
  checkBooleanOption(binary, `${optionName}.binary`);
  checkBooleanOption(objectMode, `${optionName}.objectMode`);
  return isAsyncGenerator(transform) || isAsyncGenerator(final) ? "asyncGenerator" : "generator";
};
var checkBooleanOption = (value, optionName) => {
  if (value !== void 0 && typeof value !== "boolean") {
    throw new TypeError(`The \`${optionName}\` option must use a boolean.`);
  }
};
var isGenerator = (value) => isAsyncGenerator(value) || isSyncGenerator(value);
var isAsyncGenerator = (value) => Object.prototype.toString.call(value) === "[object AsyncGeneratorFunction]";
var isSyncGenerator = (value) => Object.prototype.toString.call(value) === "[object GeneratorFunction]";
var isTransformOptions = (value) => isPlainObject(value) && (value.transform !== void 0 || value.final !== void 0);
var isUrl = (value) => Object.prototype.toString.call(value) === "[object URL]";
var isRegularUrl = (value) => isUrl(value) && value.protocol !== "file:";
var isFilePathObject = (value) => isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => FILE_PATH_KEYS.has(key)) && isFilePathString(value.file);
var FILE_PATH_KEYS = /* @__PURE__ */ new Set(["file", "append"]);
var isFilePathString = (file) => typeof file === "string";
var isUnknownStdioString = (type, value) => type === "native" && typeof value === "string" && !KNOWN_STDIO_STRINGS.has(value);
var KNOWN_STDIO_STRINGS = /* @__PURE__ */ new Set(["ipc", "ignore", "inherit", "overlapped", "pipe"]);
var isReadableStream2 = (value) => Object.prototype.toString.call(value) === "[object ReadableStream]";
var isWritableStream2 = (value) => Object.prototype.toString.call(value) === "[object WritableStream]";
var isWebStream = (value) => isReadableStream2(value) || isWritableStream2(value);
var isTransformStream = (value) => isReadableStream2(value?.readable) && isWritableStream2(value?.writable);
var isAsyncIterableObject = (value) => isObject(value) && typeof value[Symbol.asyncIterator] === "function";
var isIterableObject = (value) => isObject(value) && typeof value[Symbol.iterator] === "function";
var isObject = (value) => typeof value === "object" && value !== null;
var TRANSFORM_TYPES = /* @__PURE__ */ new Set(["generator", "asyncGenerator", "duplex", "webTransform"]);
var FILE_TYPES = /* @__PURE__ */ new Set(["fileUrl", "filePath", "fileNumber"]);
var SPECIAL_DUPLICATE_TYPES_SYNC = /* @__PURE__ */ new Set(["fileUrl", "filePath"]);
var SPECIAL_DUPLICATE_TYPES = /* @__PURE__ */ new Set([...SPECIAL_DUPLICATE_TYPES_SYNC, "webStream", "nodeStream"]);
var FORBID_DUPLICATE_TYPES = /* @__PURE__ */ new Set(["webTransform", "duplex"]);
var TYPE_TO_MESSAGE = {
  generator: "a generator",
  asyncGenerator: "an async generator",
  fileUrl: "a file URL",
  filePath: "a file path string",
  fileNumber: "a file descriptor number",
  webStream: "a web stream",
  nodeStream: "a Node.js stream",
  webTransform: "a web TransformStream",
  duplex: "a Duplex stream",
  native: "any value",
  iterable: "an iterable",
  asyncIterable: "an async iterable",
  string: "a string",
  uint8Array: "a Uint8Array"
};

// node_modules/execa/lib/transform/object-mode.js
var getTransformObjectModes = (objectMode, index, newTransforms, direction) => direction === "output" ? getOutputObjectModes(objectMode, index, newTransforms) : getInputObjectModes(objectMode, index, newTransforms);
var getOutputObjectModes = (objectMode, index, newTransforms) => {
  const writableObjectMode = index !== 0 && newTransforms[index - 1].value.readableObjectMode;
  const readableObjectMode = objectMode ?? writableObjectMode;
  return { writableObjectMode, readableObjectMode };
};
var getInputObjectModes = (objectMode, index, newTransforms) => {
  const writableObjectMode = index === 0 ? objectMode === true : newTransforms[index - 1].value.readableObjectMode;
  const readableObjectMode = index !== newTransforms.length - 1 && (objectMode ?? writableObjectMode);
  return { writableObjectMode, readableObjectMode };
};
var getFdObjectMode = (stdioItems, direction) => {
  const lastTransform = stdioItems.findLast(({ type }) => TRANSFORM_TYPES.has(type));
  if (lastTransform === void 0) {
    return false;
  }
  return direction === "input" ? lastTransform.value.writableObjectMode : lastTransform.value.readableObjectMode;
};

// node_modules/execa/lib/transform/normalize.js
var normalizeTransforms = (stdioItems, optionName, direction, options) => [
  ...stdioItems.filter(({ type }) => !TRANSFORM_TYPES.has(type)),
  ...getTransforms(stdioItems, optionName, direction, options)
];
var getTransforms = (stdioItems, optionName, direction, { encoding }) => {
  const transforms = stdioItems.filter(({ type }) => TRANSFORM_TYPES.has(type));
  const newTransforms = Array.from({ length: transforms.length });
  for (const [index, stdioItem] of Object.entries(transforms)) {
    newTransforms[index] = normalizeTransform({
      stdioItem,
      index: Number(index),
      newTransforms,
      optionName,
      direction,
      encoding
    });
  }
  return sortTransforms(newTransforms, direction);
};
var normalizeTransform = ({ stdioItem, stdioItem: { type }, index, newTransforms, optionName, direction, encoding }) => {
  if (type === "duplex") {
    return normalizeDuplex({ stdioItem, optionName });
  }
  if (type === "webTransform") {
    return normalizeTransformStream({
      stdioItem,
      index,
      newTransforms,
      direction
    });
  }
  return normalizeGenerator({
    stdioItem,
    index,
    newTransforms,
    direction,
    encoding
  });
};
var normalizeDuplex = ({
  stdioItem,
  stdioItem: {
    value: {
      transform,
      transform: { writableObjectMode, readableObjectMode },
      objectMode = readableObjectMode
    }
  },
  optionName
}) => {
  if (objectMode && !readableObjectMode) {
    throw new TypeError(`The \`${optionName}.objectMode\` option can only be \`true\` if \`new Duplex({objectMode: true})\` is used.`);
  }
  if (!objectMode && readableObjectMode) {
    throw new TypeError(`The \`${optionName}.objectMode\` option cannot be \`false\` if \`new Duplex({objectMode: true})\` is used.`);
  }
  return {
    ...stdioItem,
    value: { transform, writableObjectMode, readableObjectMode }
  };
};
var normalizeTransformStream = ({ stdioItem, stdioItem: { value }, index, newTransforms, direction }) => {
  const { transform, objectMode } = isPlainObject(value) ? value : { transform: value };
  const { writableObjectMode, readableObjectMode } = getTransformObjectModes(objectMode, index, newTransforms, direction);
  return {
    ...stdioItem,
    value: { transform, writableObjectMode, readableObjectMode }
  };
};
var normalizeGenerator = ({ stdioItem, stdioItem: { value }, index, newTransforms, direction, encoding }) => {
  const {
    transform,
    final,
    binary: binaryOption = false,
    preserveNewlines = false,
    objectMode
  } = isPlainObject(value) ? value : { transform: value };
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { writableObjectMode, readableObjectMode } = getTransformObjectModes(objectMode, index, newTransforms, direction);
  return {
    ...stdioItem,
    value: {
      transform,
      final,
      binary,
      preserveNewlines,
      writableObjectMode,
      readableObjectMode
    }
  };
};
var sortTransforms = (newTransforms, direction) => direction === "input" ? newTransforms.reverse() : newTransforms;

// node_modules/execa/lib/stdio/direction.js
import process7 from "node:process";
var getStreamDirection = (stdioItems, fdNumber, optionName) => {
  const directions = stdioItems.map((stdioItem) => getStdioItemDirection(stdioItem, fdNumber));
  if (directions.includes("input") && directions.includes("output")) {
    throw new TypeError(`The \`${optionName}\` option must not be an array of both readable and writable values.`);
  }
  return directions.find(Boolean) ?? DEFAULT_DIRECTION;
};
var getStdioItemDirection = ({ type, value }, fdNumber) => KNOWN_DIRECTIONS[fdNumber] ?? guessStreamDirection[type](value);
var KNOWN_DIRECTIONS = ["input", "output", "output"];
var anyDirection = () => void 0;
var alwaysInput = () => "input";
var guessStreamDirection = {
  generator: anyDirection,
  asyncGenerator: anyDirection,
  fileUrl: anyDirection,
  filePath: anyDirection,
  iterable: alwaysInput,
  asyncIterable: alwaysInput,
  uint8Array: alwaysInput,
  webStream: (value) => isWritableStream2(value) ? "output" : "input",
  nodeStream(value) {
    if (!isReadableStream(value, { checkOpen: false })) {
      return "output";
    }
    return isWritableStream(value, { checkOpen: false }) ? void 0 : "input";
  },
  webTransform: anyDirection,
  duplex: anyDirection,
  native(value) {
    const standardStreamDirection = getStandardStreamDirection(value);
    if (standardStreamDirection !== void 0) {
      return standardStreamDirection;
    }
    if (isStream(value, { checkOpen: false })) {
      return guessStreamDirection.nodeStream(value);
    }
  }
};
var getStandardStreamDirection = (value) => {
  if ([0, process7.stdin].includes(value)) {
    return "input";
  }
  if ([1, 2, process7.stdout, process7.stderr].includes(value)) {
    return "output";
  }
};
var DEFAULT_DIRECTION = "output";

// node_modules/execa/lib/ipc/array.js
var normalizeIpcStdioArray = (stdioArray, ipc) => ipc && !stdioArray.includes("ipc") ? [...stdioArray, "ipc"] : stdioArray;

// node_modules/execa/lib/stdio/stdio-option.js
var normalizeStdioOption = ({ stdio, ipc, buffer, ...options }, verboseInfo, isSync) => {
  const stdioArray = getStdioArray(stdio, options).map((stdioOption, fdNumber) => addDefaultValue2(stdioOption, fdNumber));
  return isSync ? normalizeStdioSync(stdioArray, buffer, verboseInfo) : normalizeIpcStdioArray(stdioArray, ipc);
};
var getStdioArray = (stdio, options) => {
  if (stdio === void 0) {
    return STANDARD_STREAMS_ALIASES.map((alias) => options[alias]);
  }
  if (hasAlias(options)) {
    throw new Error(`It's not possible to provide \`stdio\` in combination with one of ${STANDARD_STREAMS_ALIASES.map((alias) => `\`${alias}\``).join(", ")}`);
  }
  if (typeof stdio === "string") {
    return [stdio, stdio, stdio];
  }
  if (!Array.isArray(stdio)) {
    throw new TypeError(`Expected \`stdio\` to be of type \`string\` or \`Array\`, got \`${typeof stdio}\``);
  }
  const length = Math.max(stdio.length, STANDARD_STREAMS_ALIASES.length);
  return Array.from({ length }, (_, fdNumber) => stdio[fdNumber]);
};
var hasAlias = (options) => STANDARD_STREAMS_ALIASES.some((alias) => options[alias] !== void 0);
var addDefaultValue2 = (stdioOption, fdNumber) => {
  if (Array.isArray(stdioOption)) {
    return stdioOption.map((item) => addDefaultValue2(item, fdNumber));
  }
  if (stdioOption === null || stdioOption === void 0) {
    return fdNumber >= STANDARD_STREAMS_ALIASES.length ? "ignore" : "pipe";
  }
  return stdioOption;
};
var normalizeStdioSync = (stdioArray, buffer, verboseInfo) => stdioArray.map((stdioOption, fdNumber) => !buffer[fdNumber] && fdNumber !== 0 && !isFullVerbose(verboseInfo, fdNumber) && isOutputPipeOnly(stdioOption) ? "ignore" : stdioOption);
var isOutputPipeOnly = (stdioOption) => stdioOption === "pipe" || Array.isArray(stdioOption) && stdioOption.every((item) => item === "pipe");

// node_modules/execa/lib/stdio/native.js
import { readFileSync } from "node:fs";
import tty2 from "node:tty";
var handleNativeStream = ({ stdioItem, stdioItem: { type }, isStdioArray, fdNumber, direction, isSync }) => {
  if (!isStdioArray || type !== "native") {
    return stdioItem;
  }
  return isSync ? handleNativeStreamSync({ stdioItem, fdNumber, direction }) : handleNativeStreamAsync({ stdioItem, fdNumber });
};
var handleNativeStreamSync = ({ stdioItem, stdioItem: { value, optionName }, fdNumber, direction }) => {
  const targetFd = getTargetFd({
    value,
    optionName,
    fdNumber,
    direction
  });
  if (targetFd !== void 0) {
    return targetFd;
  }
  if (isStream(value, { checkOpen: false })) {
    throw new TypeError(`The \`${optionName}: Stream\` option cannot both be an array and include a stream with synchronous methods.`);
  }
  return stdioItem;
};
var getTargetFd = ({ value, optionName, fdNumber, direction }) => {
  const targetFdNumber = getTargetFdNumber(value, fdNumber);
  if (targetFdNumber === void 0) {
    return;
  }
  if (direction === "output") {
    return { type: "fileNumber", value: targetFdNumber, optionName };
  }
  if (tty2.isatty(targetFdNumber)) {
    throw new TypeError(`The \`${optionName}: ${serializeOptionValue(value)}\` option is invalid: it cannot be a TTY with synchronous methods.`);
  }
  return { type: "uint8Array", value: bufferToUint8Array(readFileSync(targetFdNumber)), optionName };
};
var getTargetFdNumber = (value, fdNumber) => {
  if (value === "inherit") {
    return fdNumber;
  }
  if (typeof value === "number") {
    return value;
  }
  const standardStreamIndex = STANDARD_STREAMS.indexOf(value);
  if (standardStreamIndex !== -1) {
    return standardStreamIndex;
  }
};
var handleNativeStreamAsync = ({ stdioItem, stdioItem: { value, optionName }, fdNumber }) => {
  if (value === "inherit") {
    return { type: "nodeStream", value: getStandardStream(fdNumber, value, optionName), optionName };
  }
  if (typeof value === "number") {
    return { type: "nodeStream", value: getStandardStream(value, value, optionName), optionName };
  }
  if (isStream(value, { checkOpen: false })) {
    return { type: "nodeStream", value, optionName };
  }
  return stdioItem;
};
var getStandardStream = (fdNumber, value, optionName) => {
  const standardStream = STANDARD_STREAMS[fdNumber];
  if (standardStream === void 0) {
    throw new TypeError(`The \`${optionName}: ${value}\` option is invalid: no such standard stream.`);
  }
  return standardStream;
};

// node_modules/execa/lib/stdio/input-option.js
var handleInputOptions = ({ input, inputFile }, fdNumber) => fdNumber === 0 ? [
  ...handleInputOption(input),
  ...handleInputFileOption(inputFile)
] : [];
var handleInputOption = (input) => input === void 0 ? [] : [{
  type: getInputType(input),
  value: input,
  optionName: "input"
}];
var getInputType = (input) => {
  if (isReadableStream(input, { checkOpen: false })) {
    return "nodeStream";
  }
  if (typeof input === "string") {
    return "string";
  }
  if (isUint8Array(input)) {
    return "uint8Array";
  }
  throw new Error("The `input` option must be a string, a Uint8Array or a Node.js Readable stream.");
};
var handleInputFileOption = (inputFile) => inputFile === void 0 ? [] : [{
  ...getInputFileType(inputFile),
  optionName: "inputFile"
}];
var getInputFileType = (inputFile) => {
  if (isUrl(inputFile)) {
    return { type: "fileUrl", value: inputFile };
  }
  if (isFilePathString(inputFile)) {
    return { type: "filePath", value: { file: inputFile } };
  }
  throw new Error("The `inputFile` option must be a file path string or a file URL.");
};

// node_modules/execa/lib/stdio/duplicate.js
var filterDuplicates = (stdioItems) => stdioItems.filter((stdioItemOne, indexOne) => stdioItems.every((stdioItemTwo, indexTwo) => stdioItemOne.value !== stdioItemTwo.value || indexOne >= indexTwo || stdioItemOne.type === "generator" || stdioItemOne.type === "asyncGenerator"));
var getDuplicateStream = ({ stdioItem: { type, value, optionName }, direction, fileDescriptors, isSync }) => {
  const otherStdioItems = getOtherStdioItems(fileDescriptors, type);
  if (otherStdioItems.length === 0) {
    return;
  }
  if (isSync) {
    validateDuplicateStreamSync({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
    return;
  }
  if (SPECIAL_DUPLICATE_TYPES.has(type)) {
    return getDuplicateStreamInstance({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
  }
  if (FORBID_DUPLICATE_TYPES.has(type)) {
    validateDuplicateTransform({
      otherStdioItems,
      type,
      value,
      optionName
    });
  }
};
var getOtherStdioItems = (fileDescriptors, type) => fileDescriptors.flatMap(({ direction, stdioItems }) => stdioItems.filter((stdioItem) => stdioItem.type === type).map(((stdioItem) => ({ ...stdioItem, direction }))));
var validateDuplicateStreamSync = ({ otherStdioItems, type, value, optionName, direction }) => {
  if (SPECIAL_DUPLICATE_TYPES_SYNC.has(type)) {
    getDuplicateStreamInstance({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
  }
};
var getDuplicateStreamInstance = ({ otherStdioItems, type, value, optionName, direction }) => {
  const duplicateStdioItems = otherStdioItems.filter((stdioItem) => hasSameValue(stdioItem, value));
  if (duplicateStdioItems.length === 0) {
    return;
  }
  const differentStdioItem = duplicateStdioItems.find((stdioItem) => stdioItem.direction !== direction);
  throwOnDuplicateStream(differentStdioItem, optionName, type);
  return direction === "output" ? duplicateStdioItems[0].stream : void 0;
};
var hasSameValue = ({ type, value }, secondValue) => {
  if (type === "filePath") {
    return value.file === secondValue.file;
  }
  if (type === "fileUrl") {
    return value.href === secondValue.href;
  }
  return value === secondValue;
};
var validateDuplicateTransform = ({ otherStdioItems, type, value, optionName }) => {
  const duplicateStdioItem = otherStdioItems.find(({ value: { transform } }) => transform === value.transform);
  throwOnDuplicateStream(duplicateStdioItem, optionName, type);
};
var throwOnDuplicateStream = (stdioItem, optionName, type) => {
  if (stdioItem !== void 0) {
    throw new TypeError(`The \`${stdioItem.optionName}\` and \`${optionName}\` options must not target ${TYPE_TO_MESSAGE[type]} that is the same.`);
  }
};

// node_modules/execa/lib/stdio/handle.js
var handleStdio = (addProperties3, options, verboseInfo, isSync) => {
  const stdio = normalizeStdioOption(options, verboseInfo, isSync);
  const initialFileDescriptors = stdio.map((stdioOption, fdNumber) => getFileDescriptor({
    stdioOption,
    fdNumber,
    options,
    isSync
  }));
  const fileDescriptors = getFinalFileDescriptors({
    initialFileDescriptors,
    addProperties: addProperties3,
    options,
    isSync
  });
  options.stdio = fileDescriptors.map(({ stdioItems }) => forwardStdio(stdioItems));
  return fileDescriptors;
};
var getFileDescriptor = ({ stdioOption, fdNumber, options, isSync }) => {
  const optionName = getStreamName(fdNumber);
  const { stdioItems: initialStdioItems, isStdioArray } = initializeStdioItems({
    stdioOption,
    fdNumber,
    options,
    optionName
  });
  const direction = getStreamDirection(initialStdioItems, fdNumber, optionName);
  const stdioItems = initialStdioItems.map((stdioItem) => handleNativeStream({
    stdioItem,
    isStdioArray,
    fdNumber,
    direction,
    isSync
  }));
  const normalizedStdioItems = normalizeTransforms(stdioItems, optionName, direction, options);
  const objectMode = getFdObjectMode(normalizedStdioItems, direction);
  validateFileObjectMode(normalizedStdioItems, objectMode);
  return { direction, objectMode, stdioItems: normalizedStdioItems };
};
var initializeStdioItems = ({ stdioOption, fdNumber, options, optionName }) => {
  const values = Array.isArray(stdioOption) ? stdioOption : [stdioOption];
  const initialStdioItems = [
    ...values.map((value) => initializeStdioItem(value, optionName)),
    ...handleInputOptions(options, fdNumber)
  ];
  const stdioItems = filterDuplicates(initialStdioItems);
  const isStdioArray = stdioItems.length > 1;
  validateStdioArray(stdioItems, isStdioArray, optionName);
  validateStreams(stdioItems);
  return { stdioItems, isStdioArray };
};
var initializeStdioItem = (value, optionName) => ({
  type: getStdioItemType(value, optionName),
  value,
  optionName
});
var validateStdioArray = (stdioItems, isStdioArray, optionName) => {
  if (stdioItems.length === 0) {
    throw new TypeError(`The \`${optionName}\` option must not be an empty array.`);
  }
  if (!isStdioArray) {
    return;
  }
  for (const { value, optionName: optionName2 } of stdioItems) {
    if (INVALID_STDIO_ARRAY_OPTIONS.has(value)) {
      throw new Error(`The \`${optionName2}\` option must not include \`${value}\`.`);
    }
  }
};
var INVALID_STDIO_ARRAY_OPTIONS = /* @__PURE__ */ new Set(["ignore", "ipc"]);
var validateStreams = (stdioItems) => {
  for (const stdioItem of stdioItems) {
    validateFileStdio(stdioItem);
  }
};
var validateFileStdio = ({ type, value, optionName }) => {
  if (isRegularUrl(value)) {
    throw new TypeError(`The \`${optionName}: URL\` option must use the \`file:\` scheme.
For example, you can use the \`pathToFileURL()\` method of the \`url\` core module.`);
  }
  if (isUnknownStdioString(type, value)) {
    throw new TypeError(`The \`${optionName}: { file: '...' }\` option must be used instead of \`${optionName}: '...'\`.`);
  }
};
var validateFileObjectMode = (stdioItems, objectMode) => {
  if (!objectMode) {
    return;
  }
  const fileStdioItem = stdioItems.find(({ type }) => FILE_TYPES.has(type));
  if (fileStdioItem !== void 0) {
    throw new TypeError(`The \`${fileStdioItem.optionName}\` option cannot use both files and transforms in objectMode.`);
  }
};
var getFinalFileDescriptors = ({ initialFileDescriptors, addProperties: addProperties3, options, isSync }) => {
  const fileDescriptors = [];
  try {
    for (const fileDescriptor of initialFileDescriptors) {
      fileDescriptors.push(getFinalFileDescriptor({
        fileDescriptor,
        fileDescriptors,
        addProperties: addProperties3,
        options,
        isSync
      }));
    }
    return fileDescriptors;
  } catch (error) {
    cleanupCustomStreams(fileDescriptors);
    throw error;
  }
};
var getFinalFileDescriptor = ({
  fileDescriptor: { direction, objectMode, stdioItems },
  fileDescriptors,
  addProperties: addProperties3,
  options,
  isSync
}) => {
  const finalStdioItems = stdioItems.map((stdioItem) => addStreamProperties({
    stdioItem,
    addProperties: addProperties3,
    direction,
    options,
    fileDescriptors,
    isSync
  }));
  return { direction, objectMode, stdioItems: finalStdioItems };
};
var addStreamProperties = ({ stdioItem, addProperties: addProperties3, direction, options, fileDescriptors, isSync }) => {
  const duplicateStream = getDuplicateStream({
    stdioItem,
    direction,
    fileDescriptors,
    isSync
  });
  if (duplicateStream !== void 0) {
    return { ...stdioItem, stream: duplicateStream };
  }
  return {
    ...stdioItem,
    ...addProperties3[direction][stdioItem.type](stdioItem, options)
  };
};
var cleanupCustomStreams = (fileDescriptors) => {
  for (const { stdioItems } of fileDescriptors) {
    for (const { stream } of stdioItems) {
      if (stream !== void 0 && !isStandardStream(stream)) {
        stream.destroy();
      }
    }
  }
};
var forwardStdio = (stdioItems) => {
  if (stdioItems.length > 1) {
    return stdioItems.some(({ value: value2 }) => value2 === "overlapped") ? "overlapped" : "pipe";
  }
  const [{ type, value }] = stdioItems;
  return type === "native" ? value : "pipe";
};

// node_modules/execa/lib/stdio/handle-sync.js
var handleStdioSync = (options, verboseInfo) => handleStdio(addPropertiesSync, options, verboseInfo, true);
var forbiddenIfSync = ({ type, optionName }) => {
  throwInvalidSyncValue(optionName, TYPE_TO_MESSAGE[type]);
};
var forbiddenNativeIfSync = ({ optionName, value }) => {
  if (value === "ipc" || value === "overlapped") {
    throwInvalidSyncValue(optionName, `"${value}"`);
  }
  return {};
};
var throwInvalidSyncValue = (optionName, value) => {
  throw new TypeError(`The \`${optionName}\` option cannot be ${value} with synchronous methods.`);
};
var addProperties = {
  generator() {
  },
  asyncGenerator: forbiddenIfSync,
  webStream: forbiddenIfSync,
  nodeStream: forbiddenIfSync,
  webTransform: forbiddenIfSync,
  duplex: forbiddenIfSync,
  asyncIterable: forbiddenIfSync,
  native: forbiddenNativeIfSync
};
var addPropertiesSync = {
  input: {
    ...addProperties,
    fileUrl: ({ value }) => ({ contents: [bufferToUint8Array(readFileSync2(value))] }),
    filePath: ({ value: { file } }) => ({ contents: [bufferToUint8Array(readFileSync2(file))] }),
    fileNumber: forbiddenIfSync,
    iterable: ({ value }) => ({ contents: [...value] }),
    string: ({ value }) => ({ contents: [value] }),
    uint8Array: ({ value }) => ({ contents: [value] })
  },
  output: {
    ...addProperties,
    fileUrl: ({ value }) => ({ path: value }),
    filePath: ({ value: { file, append } }) => ({ path: file, append }),
    fileNumber: ({ value }) => ({ path: value }),
    iterable: forbiddenIfSync,
    string: forbiddenIfSync,
    uint8Array: forbiddenIfSync
  }
};

// node_modules/execa/lib/io/strip-newline.js
var stripNewline = (value, { stripFinalNewline: stripFinalNewline2 }, fdNumber) => getStripFinalNewline(stripFinalNewline2, fdNumber) && value !== void 0 && !Array.isArray(value) ? stripFinalNewline(value) : value;
var getStripFinalNewline = (stripFinalNewline2, fdNumber) => fdNumber === "all" ? stripFinalNewline2[1] || stripFinalNewline2[2] : stripFinalNewline2[fdNumber];

// node_modules/execa/lib/transform/generator.js
import { Transform, getDefaultHighWaterMark } from "node:stream";

// node_modules/execa/lib/transform/split.js
var getSplitLinesGenerator = (binary, preserveNewlines, skipped, state) => binary || skipped ? void 0 : initializeSplitLines(preserveNewlines, state);
var splitLinesSync = (chunk, preserveNewlines, objectMode) => objectMode ? chunk.flatMap((item) => splitLinesItemSync(item, preserveNewlines)) : splitLinesItemSync(chunk, preserveNewlines);
var splitLinesItemSync = (chunk, preserveNewlines) => {
  const { transform, final } = initializeSplitLines(preserveNewlines, {});
  return [...transform(chunk), ...final()];
};
var initializeSplitLines = (preserveNewlines, state) => {
  state.previousChunks = "";
  return {
    transform: splitGenerator.bind(void 0, state, preserveNewlines),
    final: linesFinal.bind(void 0, state)
  };
};
var splitGenerator = function* (state, preserveNewlines, chunk) {
  if (typeof chunk !== "string") {
    yield chunk;
    return;
  }
  let { previousChunks } = state;
  let start = -1;
  for (let end = 0; end < chunk.length; end += 1) {
    if (chunk[end] === "\n") {
      const newlineLength = getNewlineLength(chunk, end, preserveNewlines, state);
      let line = chunk.slice(start + 1, end + 1 - newlineLength);
      if (previousChunks.length > 0) {
        line = concatString(previousChunks, line);
        previousChunks = "";
      }
      yield line;
      start = end;
    }
  }
  if (start !== chunk.length - 1) {
    previousChunks = concatString(previousChunks, chunk.slice(start + 1));
  }
  state.previousChunks = previousChunks;
};
var getNewlineLength = (chunk, end, preserveNewlines, state) => {
  if (preserveNewlines) {
    return 0;
  }
  state.isWindowsNewline = end !== 0 && chunk[end - 1] === "\r";
  return state.isWindowsNewline ? 2 : 1;
};
var linesFinal = function* ({ previousChunks }) {
  if (previousChunks.length > 0) {
    yield previousChunks;
  }
};
var getAppendNewlineGenerator = ({ binary, preserveNewlines, readableObjectMode, state }) => binary || preserveNewlines || readableObjectMode ? void 0 : { transform: appendNewlineGenerator.bind(void 0, state) };
var appendNewlineGenerator = function* ({ isWindowsNewline = false }, chunk) {
  const { unixNewline, windowsNewline, LF: LF2, concatBytes } = typeof chunk === "string" ? linesStringInfo : linesUint8ArrayInfo;
  if (chunk.at(-1) === LF2) {
    yield chunk;
    return;
  }
  const newline = isWindowsNewline ? windowsNewline : unixNewline;
  yield concatBytes(chunk, newline);
};
var concatString = (firstChunk, secondChunk) => `${firstChunk}${secondChunk}`;
var linesStringInfo = {
  windowsNewline: "\r\n",
  unixNewline: "\n",
  LF: "\n",
  concatBytes: concatString
};
var concatUint8Array = (firstChunk, secondChunk) => {
  const chunk = new Uint8Array(firstChunk.length + secondChunk.length);
  chunk.set(firstChunk, 0);
  chunk.set(secondChunk, firstChunk.length);
  return chunk;
};
var linesUint8ArrayInfo = {
  windowsNewline: new Uint8Array([13, 10]),
  unixNewline: new Uint8Array([10]),
  LF: 10,
  concatBytes: concatUint8Array
};

// node_modules/execa/lib/transform/validate.js
import { Buffer as Buffer2 } from "node:buffer";
var getValidateTransformInput = (writableObjectMode, optionName) => writableObjectMode ? void 0 : validateStringTransformInput.bind(void 0, optionName);
var validateStringTransformInput = function* (optionName, chunk) {
  if (typeof chunk !== "string" && !isUint8Array(chunk) && !Buffer2.isBuffer(chunk)) {
    throw new TypeError(`The \`${optionName}\` option's transform must use "objectMode: true" to receive as input: ${typeof chunk}.`);
  }
  yield chunk;
};
var getValidateTransformReturn = (readableObjectMode, optionName) => readableObjectMode ? validateObjectTransformReturn.bind(void 0, optionName) : validateStringTransformReturn.bind(void 0, optionName);
var validateObjectTransformReturn = function* (optionName, chunk) {
  validateEmptyReturn(optionName, chunk);
  yield chunk;
};
var validateStringTransformReturn = function* (optionName, chunk) {
  validateEmptyReturn(optionName, chunk);
  if (typeof chunk !== "string" && !isUint8Array(chunk)) {
    throw new TypeError(`The \`${optionName}\` option's function must yield a string or an Uint8Array, not ${typeof chunk}.`);
  }
  yield chunk;
};
var validateEmptyReturn = (optionName, chunk) => {
  if (chunk === null || chunk === void 0) {
    throw new TypeError(`The \`${optionName}\` option's function must not call \`yield ${chunk}\`.
Instead, \`yield\` should either be called with a value, or not be called at all. For example:
  if (condition) { yield value; }`);
  }
};

// node_modules/execa/lib/transform/encoding-transform.js
import { Buffer as Buffer3 } from "node:buffer";
import { StringDecoder as StringDecoder2 } from "node:string_decoder";
var getEncodingTransformGenerator = (binary, encoding, skipped) => {
  if (skipped) {
    return;
  }
  if (binary) {
    return { transform: encodingUint8ArrayGenerator.bind(void 0, new TextEncoder()) };
  }
  const stringDecoder = new StringDecoder2(encoding);
  return {
    transform: encodingStringGenerator.bind(void 0, stringDecoder),
    final: encodingStringFinal.bind(void 0, stringDecoder)
  };
};
var encodingUint8ArrayGenerator = function* (textEncoder3, chunk) {
  if (Buffer3.isBuffer(chunk)) {
    yield bufferToUint8Array(chunk);
  } else if (typeof chunk === "string") {
    yield textEncoder3.encode(chunk);
  } else {
    yield chunk;
  }
};
var encodingStringGenerator = function* (stringDecoder, chunk) {
  yield isUint8Array(chunk) ? stringDecoder.write(chunk) : chunk;
};
var encodingStringFinal = function* (stringDecoder) {
  const lastChunk = stringDecoder.end();
  if (lastChunk !== "") {
    yield lastChunk;
  }
};

// node_modules/execa/lib/transform/run-async.js
import { callbackify } from "node:util";
var pushChunks = callbackify(async (getChunks, state, getChunksArguments, transformStream) => {
  state.currentIterable = getChunks(...getChunksArguments);
  try {
    for await (const chunk of state.currentIterable) {
      transformStream.push(chunk);
    }
  } finally {
    delete state.currentIterable;
  }
});
var transformChunk = async function* (chunk, generators, index) {
  if (index === generators.length) {
    yield chunk;
    return;
  }
  const { transform = identityGenerator } = generators[index];
  for await (const transformedChunk of transform(chunk)) {
    yield* transformChunk(transformedChunk, generators, index + 1);
  }
};
var finalChunks = async function* (generators) {
  for (const [index, { final }] of Object.entries(generators)) {
    yield* generatorFinalChunks(final, Number(index), generators);
  }
};
var generatorFinalChunks = async function* (final, index, generators) {
  if (final === void 0) {
    return;
  }
  for await (const finalChunk of final()) {
    yield* transformChunk(finalChunk, generators, index + 1);
  }
};
var destroyTransform = callbackify(async ({ currentIterable }, error) => {
  if (currentIterable !== void 0) {
    await (error ? currentIterable.throw(error) : currentIterable.return());
    return;
  }
  if (error) {
    throw error;
  }
});
var identityGenerator = function* (chunk) {
  yield chunk;
};

// node_modules/execa/lib/transform/run-sync.js
var pushChunksSync = (getChunksSync, getChunksArguments, transformStream, done) => {
  try {
    for (const chunk of getChunksSync(...getChunksArguments)) {
      transformStream.push(chunk);
    }
    done();
  } catch (error) {
    done(error);
  }
};
var runTransformSync = (generators, chunks) => [
  ...chunks.flatMap((chunk) => [...transformChunkSync(chunk, generators, 0)]),
  ...finalChunksSync(generators)
];
var transformChunkSync = function* (chunk, generators, index) {
  if (index === generators.length) {
    yield chunk;
    return;
  }
  const { transform = identityGenerator2 } = generators[index];
  for (const transformedChunk of transform(chunk)) {
    yield* transformChunkSync(transformedChunk, generators, index + 1);
  }
};
var finalChunksSync = function* (generators) {
  for (const [index, { final }] of Object.entries(generators)) {
    yield* generatorFinalChunksSync(final, Number(index), generators);
  }
};
var generatorFinalChunksSync = function* (final, index, generators) {
  if (final === void 0) {
    return;
  }
  for (const finalChunk of final()) {
    yield* transformChunkSync(finalChunk, generators, index + 1);
  }
};
var identityGenerator2 = function* (chunk) {
  yield chunk;
};

// node_modules/execa/lib/transform/generator.js
var generatorToStream = ({
  value,
  value: { transform, final, writableObjectMode, readableObjectMode },
  optionName
}, { encoding }) => {
  const state = {};
  const generators = addInternalGenerators(value, encoding, optionName);
  const transformAsync = isAsyncGenerator(transform);
  const finalAsync = isAsyncGenerator(final);
  const transformMethod = transformAsync ? pushChunks.bind(void 0, transformChunk, state) : pushChunksSync.bind(void 0, transformChunkSync);
  const finalMethod = transformAsync || finalAsync ? pushChunks.bind(void 0, finalChunks, state) : pushChunksSync.bind(void 0, finalChunksSync);
  const destroyMethod = transformAsync || finalAsync ? destroyTransform.bind(void 0, state) : void 0;
  const stream = new Transform({
    writableObjectMode,
    writableHighWaterMark: getDefaultHighWaterMark(writableObjectMode),
    readableObjectMode,
    readableHighWaterMark: getDefaultHighWaterMark(readableObjectMode),
    transform(chunk, encoding2, done) {
      transformMethod([chunk, generators, 0], this, done);
    },
    flush(done) {
      finalMethod([generators], this, done);
    },
    destroy: destroyMethod
  });
  return { stream };
};
var runGeneratorsSync = (chunks, stdioItems, encoding, isInput) => {
  const generators = stdioItems.filter(({ type }) => type === "generator");
  const reversedGenerators = isInput ? generators.reverse() : generators;
  for (const { value, optionName } of reversedGenerators) {
    const generators2 = addInternalGenerators(value, encoding, optionName);
    chunks = runTransformSync(generators2, chunks);
  }
  return chunks;
};
var addInternalGenerators = ({ transform, final, binary, writableObjectMode, readableObjectMode, preserveNewlines }, encoding, optionName) => {
  const state = {};
  return [
    { transform: getValidateTransformInput(writableObjectMode, optionName) },
    getEncodingTransformGenerator(binary, encoding, writableObjectMode),
    getSplitLinesGenerator(binary, preserveNewlines, writableObjectMode, state),
    { transform, final },
    { transform: getValidateTransformReturn(readableObjectMode, optionName) },
    getAppendNewlineGenerator({
      binary,
      preserveNewlines,
      readableObjectMode,
      state
    })
  ].filter(Boolean);
};

// node_modules/execa/lib/io/input-sync.js
var addInputOptionsSync = (fileDescriptors, options) => {
  for (const fdNumber of getInputFdNumbers(fileDescriptors)) {
    addInputOptionSync(fileDescriptors, fdNumber, options);
  }
};
var getInputFdNumbers = (fileDescriptors) => new Set(Object.entries(fileDescriptors).filter(([, { direction }]) => direction === "input").map(([fdNumber]) => Number(fdNumber)));
var addInputOptionSync = (fileDescriptors, fdNumber, options) => {
  const { stdioItems } = fileDescriptors[fdNumber];
  const allStdioItems = stdioItems.filter(({ contents }) => contents !== void 0);
  if (allStdioItems.length === 0) {
    return;
  }
  if (fdNumber !== 0) {
    const [{ type, optionName }] = allStdioItems;
    throw new TypeError(`Only the \`stdin\` option, not \`${optionName}\`, can be ${TYPE_TO_MESSAGE[type]} with synchronous methods.`);
  }
  const allContents = allStdioItems.map(({ contents }) => contents);
  const transformedContents = allContents.map((contents) => applySingleInputGeneratorsSync(contents, stdioItems));
  options.input = joinToUint8Array(transformedContents);
};
var applySingleInputGeneratorsSync = (contents, stdioItems) => {
  const newContents = runGeneratorsSync(contents, stdioItems, "utf8", true);
  validateSerializable(newContents);
  return joinToUint8Array(newContents);
};
var validateSerializable = (newContents) => {
  const invalidItem = newContents.find((item) => typeof item !== "string" && !isUint8Array(item));
  if (invalidItem !== void 0) {
    throw new TypeError(`The \`stdin\` option is invalid: when passing objects as input, a transform must be used to serialize them to strings or Uint8Arrays: ${invalidItem}.`);
  }
};

// node_modules/execa/lib/io/output-sync.js
import { writeFileSync, appendFileSync } from "node:fs";

// node_modules/execa/lib/verbose/output.js
var shouldLogOutput = ({ stdioItems, encoding, verboseInfo, fdNumber }) => fdNumber !== "all" && isFullVerbose(verboseInfo, fdNumber) && !BINARY_ENCODINGS.has(encoding) && fdUsesVerbose(fdNumber) && (stdioItems.some(({ type, value }) => type === "native" && PIPED_STDIO_VALUES.has(value)) || stdioItems.every(({ type }) => TRANSFORM_TYPES.has(type)));
var fdUsesVerbose = (fdNumber) => fdNumber === 1 || fdNumber === 2;
var PIPED_STDIO_VALUES = /* @__PURE__ */ new Set(["pipe", "overlapped"]);
var logLines = async (linesIterable, stream, fdNumber, verboseInfo) => {
  for await (const line of linesIterable) {
    if (!isPipingStream(stream)) {
      logLine(line, fdNumber, verboseInfo);
    }
  }
};
var logLinesSync = (linesArray, fdNumber, verboseInfo) => {
  for (const line of linesArray) {
    logLine(line, fdNumber, verboseInfo);
  }
};
var isPipingStream = (stream) => stream._readableState.pipes.length > 0;
var logLine = (line, fdNumber, verboseInfo) => {
  const verboseMessage = serializeVerboseMessage(line);
  verboseLog({
    type: "output",
    verboseMessage,
    fdNumber,
    verboseInfo
  });
};

// node_modules/execa/lib/io/output-sync.js
var transformOutputSync = ({ fileDescriptors, syncResult: { output }, options, isMaxBuffer, verboseInfo }) => {
  if (output === null) {
    return { output: Array.from({ length: 3 }) };
  }
  const state = {};
  const outputFiles = /* @__PURE__ */ new Set([]);
  const transformedOutput = output.map((result, fdNumber) => transformOutputResultSync({
    result,
    fileDescriptors,
    fdNumber,
    state,
    outputFiles,
    isMaxBuffer,
    verboseInfo
  }, options));
  return { output: transformedOutput, ...state };
};
var transformOutputResultSync = ({ result, fileDescriptors, fdNumber, state, outputFiles, isMaxBuffer, verboseInfo }, { buffer, encoding, lines, stripFinalNewline: stripFinalNewline2, maxBuffer }) => {
  if (result === null) {
    return;
  }
  const truncatedResult = truncateMaxBufferSync(result, isMaxBuffer, maxBuffer);
  const uint8ArrayResult = bufferToUint8Array(truncatedResult);
  const { stdioItems, objectMode } = fileDescriptors[fdNumber];
  const chunks = runOutputGeneratorsSync([uint8ArrayResult], stdioItems, encoding, state);
  const { serializedResult, finalResult = serializedResult } = serializeChunks({
    chunks,
    objectMode,
    encoding,
    lines,
    stripFinalNewline: stripFinalNewline2,
    fdNumber
  });
  logOutputSync({
    serializedResult,
    fdNumber,
    state,
    verboseInfo,
    encoding,
    stdioItems,
    objectMode
  });
  const returnedResult = buffer[fdNumber] ? finalResult : void 0;
  try {
    if (state.error === void 0) {
      writeToFiles(serializedResult, stdioItems, outputFiles);
    }
    return returnedResult;
  } catch (error) {
    state.error = error;
    return returnedResult;
  }
};
var runOutputGeneratorsSync = (chunks, stdioItems, encoding, state) => {
  try {
    return runGeneratorsSync(chunks, stdioItems, encoding, false);
  } catch (error) {
    state.error = error;
    return chunks;
  }
};
var serializeChunks = ({ chunks, objectMode, encoding, lines, stripFinalNewline: stripFinalNewline2, fdNumber }) => {
  if (objectMode) {
    return { serializedResult: chunks };
  }
  if (encoding === "buffer") {
    return { serializedResult: joinToUint8Array(chunks) };
  }
  const serializedResult = joinToString(chunks, encoding);
  if (lines[fdNumber]) {
    return { serializedResult, finalResult: splitLinesSync(serializedResult, !stripFinalNewline2[fdNumber], objectMode) };
  }
  return { serializedResult };
};
var logOutputSync = ({ serializedResult, fdNumber, state, verboseInfo, encoding, stdioItems, objectMode }) => {
  if (!shouldLogOutput({
    stdioItems,
    encoding,
    verboseInfo,
    fdNumber
  })) {
    return;
  }
  const linesArray = splitLinesSync(serializedResult, false, objectMode);
  try {
    logLinesSync(linesArray, fdNumber, verboseInfo);
  } catch (error) {
    state.error ??= error;
  }
};
var writeToFiles = (serializedResult, stdioItems, outputFiles) => {
  for (const { path: path6, append } of stdioItems.filter(({ type }) => FILE_TYPES.has(type))) {
    const pathString = typeof path6 === "string" ? path6 : path6.toString();
    if (append || outputFiles.has(pathString)) {
      appendFileSync(path6, serializedResult);
    } else {
      outputFiles.add(pathString);
      writeFileSync(path6, serializedResult);
    }
  }
};

// node_modules/execa/lib/resolve/all-sync.js
var getAllSync = ([, stdout, stderr], options) => {
  if (!options.all) {
    return;
  }
  if (stdout === void 0) {
    return stderr;
  }
  if (stderr === void 0) {
    return stdout;
  }
  if (Array.isArray(stdout)) {
    return Array.isArray(stderr) ? [...stdout, ...stderr] : [...stdout, stripNewline(stderr, options, "all")];
  }
  if (Array.isArray(stderr)) {
    return [stripNewline(stdout, options, "all"), ...stderr];
  }
  if (isUint8Array(stdout) && isUint8Array(stderr)) {
    return concatUint8Arrays([stdout, stderr]);
  }
  return `${stdout}${stderr}`;
};

// node_modules/execa/lib/resolve/exit-async.js
import { once as once4 } from "node:events";
var waitForExit = async (subprocess, context) => {
  const [exitCode, signal] = await waitForExitOrError(subprocess);
  context.isForcefullyTerminated ??= false;
  return [exitCode, signal];
};
var waitForExitOrError = async (subprocess) => {
  const [spawnPayload, exitPayload] = await Promise.allSettled([
    once4(subprocess, "spawn"),
    once4(subprocess, "exit")
  ]);
  if (spawnPayload.status === "rejected") {
    return [];
  }
  return exitPayload.status === "rejected" ? waitForSubprocessExit(subprocess) : exitPayload.value;
};
var waitForSubprocessExit = async (subprocess) => {
  try {
    return await once4(subprocess, "exit");
  } catch {
    return waitForSubprocessExit(subprocess);
  }
};
var waitForSuccessfulExit = async (exitPromise) => {
  const [exitCode, signal] = await exitPromise;
  if (!isSubprocessErrorExit(exitCode, signal) && isFailedExit(exitCode, signal)) {
    throw new DiscardedError();
  }
  return [exitCode, signal];
};
var isSubprocessErrorExit = (exitCode, signal) => exitCode === void 0 && signal === void 0;
var isFailedExit = (exitCode, signal) => exitCode !== 0 || signal !== null;

// node_modules/execa/lib/resolve/exit-sync.js
var getExitResultSync = ({ error, status: exitCode, signal, output }, { maxBuffer }) => {
  const resultError = getResultError(error, exitCode, signal);
  const timedOut2 = resultError?.code === "ETIMEDOUT";
  const isMaxBuffer = isMaxBufferSync(resultError, output, maxBuffer);
  return {
    resultError,
    exitCode,
    signal,
    timedOut: timedOut2,
    isMaxBuffer
  };
};
var getResultError = (error, exitCode, signal) => {
  if (error !== void 0) {
    return error;
  }
  return isFailedExit(exitCode, signal) ? new DiscardedError() : void 0;
};

// node_modules/execa/lib/methods/main-sync.js
var execaCoreSync = (rawFile, rawArguments, rawOptions) => {
  const { file, commandArguments, command, escapedCommand, startTime, verboseInfo, options, fileDescriptors } = handleSyncArguments(rawFile, rawArguments, rawOptions);
  const result = spawnSubprocessSync({
    file,
    commandArguments,
    options,
    command,
    escapedCommand,
    verboseInfo,
    fileDescriptors,
    startTime
  });
  return handleResult(result, verboseInfo, options);
};
var handleSyncArguments = (rawFile, rawArguments, rawOptions) => {
  const { command, escapedCommand, startTime, verboseInfo } = handleCommand(rawFile, rawArguments, rawOptions);
  const syncOptions = normalizeSyncOptions(rawOptions);
  const { file, commandArguments, options } = normalizeOptions(rawFile, rawArguments, syncOptions);
  validateSyncOptions(options);
  const fileDescriptors = handleStdioSync(options, verboseInfo);
  return {
    file,
    commandArguments,
    command,
    escapedCommand,
    startTime,
    verboseInfo,
    options,
    fileDescriptors
  };
};
var normalizeSyncOptions = (options) => options.node && !options.ipc ? { ...options, ipc: false } : options;
var validateSyncOptions = ({ ipc, ipcInput, detached, cancelSignal }) => {
  if (ipcInput) {
    throwInvalidSyncOption("ipcInput");
  }
  if (ipc) {
    throwInvalidSyncOption("ipc: true");
  }
  if (detached) {
    throwInvalidSyncOption("detached: true");
  }
  if (cancelSignal) {
    throwInvalidSyncOption("cancelSignal");
  }
};
var throwInvalidSyncOption = (value) => {
  throw new TypeError(`The "${value}" option cannot be used with synchronous methods.`);
};
var spawnSubprocessSync = ({ file, commandArguments, options, command, escapedCommand, verboseInfo, fileDescriptors, startTime }) => {
  const syncResult = runSubprocessSync({
    file,
    commandArguments,
    options,
    command,
    escapedCommand,
    fileDescriptors,
    startTime
  });
  if (syncResult.failed) {
    return syncResult;
  }
  const { resultError, exitCode, signal, timedOut: timedOut2, isMaxBuffer } = getExitResultSync(syncResult, options);
  const { output, error = resultError } = transformOutputSync({
    fileDescriptors,
    syncResult,
    options,
    isMaxBuffer,
    verboseInfo
  });
  const stdio = output.map((stdioOutput, fdNumber) => stripNewline(stdioOutput, options, fdNumber));
  const all = stripNewline(getAllSync(output, options), options, "all");
  return getSyncResult({
    error,
    exitCode,
    signal,
    timedOut: timedOut2,
    isMaxBuffer,
    stdio,
    all,
    options,
    command,
    escapedCommand,
    startTime
  });
};
var runSubprocessSync = ({ file, commandArguments, options, command, escapedCommand, fileDescriptors, startTime }) => {
  try {
    addInputOptionsSync(fileDescriptors, options);
    const normalizedOptions = normalizeSpawnSyncOptions(options);
    return spawnSync(...concatenateShell(file, commandArguments, normalizedOptions));
  } catch (error) {
    return makeEarlyError({
      error,
      command,
      escapedCommand,
      fileDescriptors,
      options,
      startTime,
      isSync: true
    });
  }
};
var normalizeSpawnSyncOptions = ({ encoding, maxBuffer, ...options }) => ({ ...options, encoding: "buffer", maxBuffer: getMaxBufferSync(maxBuffer) });
var getSyncResult = ({ error, exitCode, signal, timedOut: timedOut2, isMaxBuffer, stdio, all, options, command, escapedCommand, startTime }) => error === void 0 ? makeSuccessResult({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput: [],
  options,
  startTime
}) : makeError({
  error,
  command,
  escapedCommand,
  timedOut: timedOut2,
  isCanceled: false,
  isGracefullyCanceled: false,
  isMaxBuffer,
  isForcefullyTerminated: false,
  exitCode,
  signal,
  stdio,
  all,
  ipcOutput: [],
  options,
  startTime,
  isSync: true
});

// node_modules/execa/lib/methods/main-async.js
import { setMaxListeners } from "node:events";
import { spawn } from "node:child_process";

// node_modules/execa/lib/ipc/methods.js
import process8 from "node:process";

// node_modules/execa/lib/ipc/get-one.js
import { once as once5, on as on2 } from "node:events";
var getOneMessage = ({ anyProcess, channel, isSubprocess, ipc }, { reference = true, filter } = {}) => {
  validateIpcMethod({
    methodName: "getOneMessage",
    isSubprocess,
    ipc,
    isConnected: isConnected(anyProcess)
  });
  return getOneMessageAsync({
    anyProcess,
    channel,
    isSubprocess,
    filter,
    reference
  });
};
var getOneMessageAsync = async ({ anyProcess, channel, isSubprocess, filter, reference }) => {
  addReference(channel, reference);
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const controller = new AbortController();
  try {
    return await Promise.race([
      getMessage(ipcEmitter, filter, controller),
      throwOnDisconnect2(ipcEmitter, isSubprocess, controller),
      throwOnStrictError(ipcEmitter, isSubprocess, controller)
    ]);
  } catch (error) {
    disconnect(anyProcess);
    throw error;
  } finally {
    controller.abort();
    removeReference(channel, reference);
  }
};
var getMessage = async (ipcEmitter, filter, { signal }) => {
  if (filter === void 0) {
    const [message] = await once5(ipcEmitter, "message", { signal });
    return message;
  }
  for await (const [message] of on2(ipcEmitter, "message", { signal })) {
    if (filter(message)) {
      return message;
    }
  }
};
var throwOnDisconnect2 = async (ipcEmitter, isSubprocess, { signal }) => {
  await once5(ipcEmitter, "disconnect", { signal });
  throwOnEarlyDisconnect(isSubprocess);
};
var throwOnStrictError = async (ipcEmitter, isSubprocess, { signal }) => {
  const [error] = await once5(ipcEmitter, "strict:error", { signal });
  throw getStrictResponseError(error, isSubprocess);
};

// node_modules/execa/lib/ipc/get-each.js
import { once as once6, on as on3 } from "node:events";
var getEachMessage = ({ anyProcess, channel, isSubprocess, ipc }, { reference = true } = {}) => loopOnMessages({
  anyProcess,
  channel,
  isSubprocess,
  ipc,
  shouldAwait: !isSubprocess,
  reference
});
var loopOnMessages = ({ anyProcess, channel, isSubprocess, ipc, shouldAwait, reference }) => {
  validateIpcMethod({
    methodName: "getEachMessage",
    isSubprocess,
    ipc,
    isConnected: isConnected(anyProcess)
  });
  addReference(channel, reference);
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const controller = new AbortController();
  const state = {};
  stopOnDisconnect(anyProcess, ipcEmitter, controller);
  abortOnStrictError({
    ipcEmitter,
    isSubprocess,
    controller,
    state
  });
  return iterateOnMessages({
    anyProcess,
    channel,
    ipcEmitter,
    isSubprocess,
    shouldAwait,
    controller,
    state,
    reference
  });
};
var stopOnDisconnect = async (anyProcess, ipcEmitter, controller) => {
  try {
    await once6(ipcEmitter, "disconnect", { signal: controller.signal });
    controller.abort();
  } catch {
  }
};
var abortOnStrictError = async ({ ipcEmitter, isSubprocess, controller, state }) => {
  try {
    const [error] = await once6(ipcEmitter, "strict:error", { signal: controller.signal });
    state.error = getStrictResponseError(error, isSubprocess);
    controller.abort();
  } catch {
  }
};
var iterateOnMessages = async function* ({ anyProcess, channel, ipcEmitter, isSubprocess, shouldAwait, controller, state, reference }) {
  try {
    for await (const [message] of on3(ipcEmitter, "message", { signal: controller.signal })) {
      throwIfStrictError(state);
      yield message;
    }
  } catch {
    throwIfStrictError(state);
  } finally {
    controller.abort();
    removeReference(channel, reference);
    if (!isSubprocess) {
      disconnect(anyProcess);
    }
    if (shouldAwait) {
      await anyProcess;
    }
  }
};
var throwIfStrictError = ({ error }) => {
  if (error) {
    throw error;
  }
};

// node_modules/execa/lib/ipc/methods.js
var addIpcMethods = (subprocess, { ipc }) => {
  Object.assign(subprocess, getIpcMethods(subprocess, false, ipc));
};
var getIpcExport = () => {
  const anyProcess = process8;
  const isSubprocess = true;
  const ipc = process8.channel !== void 0;
  return {
    ...getIpcMethods(anyProcess, isSubprocess, ipc),
    getCancelSignal: getCancelSignal.bind(void 0, {
      anyProcess,
      channel: anyProcess.channel,
      isSubprocess,
      ipc
    })
  };
};
var getIpcMethods = (anyProcess, isSubprocess, ipc) => ({
  sendMessage: sendMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  }),
  getOneMessage: getOneMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  }),
  getEachMessage: getEachMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  })
});

// node_modules/execa/lib/return/early-error.js
import { ChildProcess as ChildProcess2 } from "node:child_process";
import {
  PassThrough,
  Readable,
  Writable,
  Duplex
} from "node:stream";
var handleEarlyError = ({ error, command, escapedCommand, fileDescriptors, options, startTime, verboseInfo }) => {
  cleanupCustomStreams(fileDescriptors);
  const subprocess = new ChildProcess2();
  createDummyStreams(subprocess, fileDescriptors);
  Object.assign(subprocess, { readable, writable, duplex });
  const earlyError = makeEarlyError({
    error,
    command,
    escapedCommand,
    fileDescriptors,
    options,
    startTime,
    isSync: false
  });
  const promise = handleDummyPromise(earlyError, verboseInfo, options);
  return { subprocess, promise };
};
var createDummyStreams = (subprocess, fileDescriptors) => {
  const stdin = createDummyStream();
  const stdout = createDummyStream();
  const stderr = createDummyStream();
  const extraStdio = Array.from({ length: fileDescriptors.length - 3 }, createDummyStream);
  const all = createDummyStream();
  const stdio = [stdin, stdout, stderr, ...extraStdio];
  Object.assign(subprocess, {
    stdin,
    stdout,
    stderr,
    all,
    stdio
  });
};
var createDummyStream = () => {
  const stream = new PassThrough();
  stream.end();
  return stream;
};
var readable = () => new Readable({ read() {
} });
var writable = () => new Writable({ write() {
} });
var duplex = () => new Duplex({ read() {
}, write() {
} });
var handleDummyPromise = async (error, verboseInfo, options) => handleResult(error, verboseInfo, options);

// node_modules/execa/lib/stdio/handle-async.js
import { createReadStream, createWriteStream } from "node:fs";
import { Buffer as Buffer4 } from "node:buffer";
import { Readable as Readable2, Writable as Writable2, Duplex as Duplex2 } from "node:stream";
var handleStdioAsync = (options, verboseInfo) => handleStdio(addPropertiesAsync, options, verboseInfo, false);
var forbiddenIfAsync = ({ type, optionName }) => {
  throw new TypeError(`The \`${optionName}\` option cannot be ${TYPE_TO_MESSAGE[type]}.`);
};
var addProperties2 = {
  fileNumber: forbiddenIfAsync,
  generator: generatorToStream,
  asyncGenerator: generatorToStream,
  nodeStream: ({ value }) => ({ stream: value }),
  webTransform({ value: { transform, writableObjectMode, readableObjectMode } }) {
    const objectMode = writableObjectMode || readableObjectMode;
    const stream = Duplex2.fromWeb(transform, { objectMode });
    return { stream };
  },
  duplex: ({ value: { transform } }) => ({ stream: transform }),
  native() {
  }
};
var addPropertiesAsync = {
  input: {
    ...addProperties2,
    fileUrl: ({ value }) => ({ stream: createReadStream(value) }),
    filePath: ({ value: { file } }) => ({ stream: createReadStream(file) }),
    webStream: ({ value }) => ({ stream: Readable2.fromWeb(value) }),
    iterable: ({ value }) => ({ stream: Readable2.from(value) }),
    asyncIterable: ({ value }) => ({ stream: Readable2.from(value) }),
    string: ({ value }) => ({ stream: Readable2.from(value) }),
    uint8Array: ({ value }) => ({ stream: Readable2.from(Buffer4.from(value)) })
  },
  output: {
    ...addProperties2,
    fileUrl: ({ value }) => ({ stream: createWriteStream(value) }),
    filePath: ({ value: { file, append } }) => ({ stream: createWriteStream(file, append ? { flags: "a" } : {}) }),
    webStream: ({ value }) => ({ stream: Writable2.fromWeb(value) }),
    iterable: forbiddenIfAsync,
    asyncIterable: forbiddenIfAsync,
    string: forbiddenIfAsync,
    uint8Array: forbiddenIfAsync
  }
};

// node_modules/@sindresorhus/merge-streams/index.js
import { on as on4, once as once7 } from "node:events";
import { PassThrough as PassThroughStream, getDefaultHighWaterMark as getDefaultHighWaterMark2 } from "node:stream";
import { finished as finished2 } from "node:stream/promises";
function mergeStreams(streams) {
  if (!Array.isArray(streams)) {
    throw new TypeError(`Expected an array, got \`${typeof streams}\`.`);
  }
  for (const stream of streams) {
    validateStream(stream);
  }
  const objectMode = streams.some(({ readableObjectMode }) => readableObjectMode);
  const highWaterMark = getHighWaterMark(streams, objectMode);
  const passThroughStream = new MergedStream({
    objectMode,
    writableHighWaterMark: highWaterMark,
    readableHighWaterMark: highWaterMark
  });
  for (const stream of streams) {
    passThroughStream.add(stream);
  }
  return passThroughStream;
}
var getHighWaterMark = (streams, objectMode) => {
  if (streams.length === 0) {
    return getDefaultHighWaterMark2(objectMode);
  }
  const highWaterMarks = streams.filter(({ readableObjectMode }) => readableObjectMode === objectMode).map(({ readableHighWaterMark }) => readableHighWaterMark);
  return Math.max(...highWaterMarks);
};
var MergedStream = class extends PassThroughStream {
  #streams = /* @__PURE__ */ new Set([]);
  #ended = /* @__PURE__ */ new Set([]);
  #aborted = /* @__PURE__ */ new Set([]);
  #onFinished;
  #unpipeEvent = /* @__PURE__ */ Symbol("unpipe");
  #streamPromises = /* @__PURE__ */ new WeakMap();
  add(stream) {
    validateStream(stream);
    if (this.#streams.has(stream)) {
      return;
    }
    this.#streams.add(stream);
    this.#onFinished ??= onMergedStreamFinished(this, this.#streams, this.#unpipeEvent);
    const streamPromise = endWhenStreamsDone({
      passThroughStream: this,
      stream,
      streams: this.#streams,
      ended: this.#ended,
      aborted: this.#aborted,
      onFinished: this.#onFinished,
      unpipeEvent: this.#unpipeEvent
    });
    this.#streamPromises.set(stream, streamPromise);
    stream.pipe(this, { end: false });
  }
  async remove(stream) {
    validateStream(stream);
    if (!this.#streams.has(stream)) {
      return false;
    }
    const streamPromise = this.#streamPromises.get(stream);
    if (streamPromise === void 0) {
      return false;
    }
    this.#streamPromises.delete(stream);
    stream.unpipe(this);
    await streamPromise;
    return true;
  }
};
var onMergedStreamFinished = async (passThroughStream, streams, unpipeEvent) => {
  updateMaxListeners(passThroughStream, PASSTHROUGH_LISTENERS_COUNT);
  const controller = new AbortController();
  try {
    await Promise.race([
      onMergedStreamEnd(passThroughStream, controller),
      onInputStreamsUnpipe(passThroughStream, streams, unpipeEvent, controller)
    ]);
  } finally {
    controller.abort();
    updateMaxListeners(passThroughStream, -PASSTHROUGH_LISTENERS_COUNT);
  }
};
var onMergedStreamEnd = async (passThroughStream, { signal }) => {
  try {
    await finished2(passThroughStream, { signal, cleanup: true });
  } catch (error) {
    errorOrAbortStream(passThroughStream, error);
    throw error;
  }
};
var onInputStreamsUnpipe = async (passThroughStream, streams, unpipeEvent, { signal }) => {
  for await (const [unpipedStream] of on4(passThroughStream, "unpipe", { signal })) {
    if (streams.has(unpipedStream)) {
      unpipedStream.emit(unpipeEvent);
    }
  }
};
var validateStream = (stream) => {
  if (typeof stream?.pipe !== "function") {
    throw new TypeError(`Expected a readable stream, got: \`${typeof stream}\`.`);
  }
};
var endWhenStreamsDone = async ({ passThroughStream, stream, streams, ended, aborted: aborted2, onFinished, unpipeEvent }) => {
  updateMaxListeners(passThroughStream, PASSTHROUGH_LISTENERS_PER_STREAM);
  const controller = new AbortController();
  try {
    await Promise.race([
      afterMergedStreamFinished(onFinished, stream, controller),
      onInputStreamEnd({
        passThroughStream,
        stream,
        streams,
        ended,
        aborted: aborted2,
        controller
      }),
      onInputStreamUnpipe({
        stream,
        streams,
        ended,
        aborted: aborted2,
        unpipeEvent,
        controller
      })
    ]);
  } finally {
    controller.abort();
    updateMaxListeners(passThroughStream, -PASSTHROUGH_LISTENERS_PER_STREAM);
  }
  if (streams.size > 0 && streams.size === ended.size + aborted2.size) {
    if (ended.size === 0 && aborted2.size > 0) {
      abortStream(passThroughStream);
    } else {
      endStream(passThroughStream);
    }
  }
};
var afterMergedStreamFinished = async (onFinished, stream, { signal }) => {
  try {
    await onFinished;
    if (!signal.aborted) {
      abortStream(stream);
    }
  } catch (error) {
    if (!signal.aborted) {
      errorOrAbortStream(stream, error);
    }
  }
};
var onInputStreamEnd = async ({ passThroughStream, stream, streams, ended, aborted: aborted2, controller: { signal } }) => {
  try {
    await finished2(stream, {
      signal,
      cleanup: true,
      readable: true,
      writable: false
    });
    if (streams.has(stream)) {
      ended.add(stream);
    }
  } catch (error) {
    if (signal.aborted || !streams.has(stream)) {
      return;
    }
    if (isAbortError(error)) {
      aborted2.add(stream);
    } else {
      errorStream(passThroughStream, error);
    }
  }
};
var onInputStreamUnpipe = async ({ stream, streams, ended, aborted: aborted2, unpipeEvent, controller: { signal } }) => {
  await once7(stream, unpipeEvent, { signal });
  if (!stream.readable) {
    return once7(signal, "abort", { signal });
  }
  streams.delete(stream);
  ended.delete(stream);
  aborted2.delete(stream);
};
var endStream = (stream) => {
  if (stream.writable) {
    stream.end();
  }
};
var errorOrAbortStream = (stream, error) => {
  if (isAbortError(error)) {
    abortStream(stream);
  } else {
    errorStream(stream, error);
  }
};
var isAbortError = (error) => error?.code === "ERR_STREAM_PREMATURE_CLOSE";
var abortStream = (stream) => {
  if (stream.readable || stream.writable) {
    stream.destroy();
  }
};
var errorStream = (stream, error) => {
  if (!stream.destroyed) {
    stream.once("error", noop2);
    stream.destroy(error);
  }
};
var noop2 = () => {
};
var updateMaxListeners = (passThroughStream, increment2) => {
  const maxListeners = passThroughStream.getMaxListeners();
  if (maxListeners !== 0 && maxListeners !== Number.POSITIVE_INFINITY) {
    passThroughStream.setMaxListeners(maxListeners + increment2);
  }
};
var PASSTHROUGH_LISTENERS_COUNT = 2;
var PASSTHROUGH_LISTENERS_PER_STREAM = 1;

// node_modules/execa/lib/io/pipeline.js
import { finished as finished3 } from "node:stream/promises";
var pipeStreams = (source, destination) => {
  source.pipe(destination);
  onSourceFinish(source, destination);
  onDestinationFinish(source, destination);
};
var onSourceFinish = async (source, destination) => {
  if (isStandardStream(source) || isStandardStream(destination)) {
    return;
  }
  try {
    await finished3(source, { cleanup: true, readable: true, writable: false });
  } catch {
  }
  endDestinationStream(destination);
};
var endDestinationStream = (destination) => {
  if (destination.writable) {
    destination.end();
  }
};
var onDestinationFinish = async (source, destination) => {
  if (isStandardStream(source) || isStandardStream(destination)) {
    return;
  }
  try {
    await finished3(destination, { cleanup: true, readable: false, writable: true });
  } catch {
  }
  abortSourceStream(source);
};
var abortSourceStream = (source) => {
  if (source.readable) {
    source.destroy();
  }
};

// node_modules/execa/lib/io/output-async.js
var pipeOutputAsync = (subprocess, fileDescriptors, controller) => {
  const pipeGroups = /* @__PURE__ */ new Map();
  for (const [fdNumber, { stdioItems, direction }] of Object.entries(fileDescriptors)) {
    for (const { stream } of stdioItems.filter(({ type }) => TRANSFORM_TYPES.has(type))) {
      pipeTransform(subprocess, stream, direction, fdNumber);
    }
    for (const { stream } of stdioItems.filter(({ type }) => !TRANSFORM_TYPES.has(type))) {
      pipeStdioItem({
        subprocess,
        stream,
        direction,
        fdNumber,
        pipeGroups,
        controller
      });
    }
  }
  for (const [outputStream, inputStreams] of pipeGroups.entries()) {
    const inputStream = inputStreams.length === 1 ? inputStreams[0] : mergeStreams(inputStreams);
    pipeStreams(inputStream, outputStream);
  }
};
var pipeTransform = (subprocess, stream, direction, fdNumber) => {
  if (direction === "output") {
    pipeStreams(subprocess.stdio[fdNumber], stream);
  } else {
    pipeStreams(stream, subprocess.stdio[fdNumber]);
  }
  const streamProperty = SUBPROCESS_STREAM_PROPERTIES[fdNumber];
  if (streamProperty !== void 0) {
    subprocess[streamProperty] = stream;
  }
  subprocess.stdio[fdNumber] = stream;
};
var SUBPROCESS_STREAM_PROPERTIES = ["stdin", "stdout", "stderr"];
var pipeStdioItem = ({ subprocess, stream, direction, fdNumber, pipeGroups, controller }) => {
  if (stream === void 0) {
    return;
  }
  setStandardStreamMaxListeners(stream, controller);
  const [inputStream, outputStream] = direction === "output" ? [stream, subprocess.stdio[fdNumber]] : [subprocess.stdio[fdNumber], stream];
  const outputStreams = pipeGroups.get(inputStream) ?? [];
  pipeGroups.set(inputStream, [...outputStreams, outputStream]);
};
var setStandardStreamMaxListeners = (stream, { signal }) => {
  if (isStandardStream(stream)) {
    incrementMaxListeners(stream, MAX_LISTENERS_INCREMENT, signal);
  }
};
var MAX_LISTENERS_INCREMENT = 2;

// node_modules/execa/lib/terminate/cleanup.js
import { addAbortListener as addAbortListener2 } from "node:events";

// node_modules/signal-exit/dist/mjs/signals.js
var signals = [];
signals.push("SIGHUP", "SIGINT", "SIGTERM");
if (process.platform !== "win32") {
  signals.push(
    "SIGALRM",
    "SIGABRT",
    "SIGVTALRM",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGUSR2",
    "SIGTRAP",
    "SIGSYS",
    "SIGQUIT",
    "SIGIOT"
    // should detect profiler and enable/disable accordingly.
    // see #21
    // 'SIGPROF'
  );
}
if (process.platform === "linux") {
  signals.push("SIGIO", "SIGPOLL", "SIGPWR", "SIGSTKFLT");
}

// node_modules/signal-exit/dist/mjs/index.js
var processOk = (process10) => !!process10 && typeof process10 === "object" && typeof process10.removeListener === "function" && typeof process10.emit === "function" && typeof process10.reallyExit === "function" && typeof process10.listeners === "function" && typeof process10.kill === "function" && typeof process10.pid === "number" && typeof process10.on === "function";
var kExitEmitter = /* @__PURE__ */ Symbol.for("signal-exit emitter");
var global2 = globalThis;
var ObjectDefineProperty = Object.defineProperty.bind(Object);
var Emitter = class {
  emitted = {
    afterExit: false,
    exit: false
  };
  listeners = {
    afterExit: [],
    exit: []
  };
  count = 0;
  id = Math.random();
  constructor() {
    if (global2[kExitEmitter]) {
      return global2[kExitEmitter];
    }
    ObjectDefineProperty(global2, kExitEmitter, {
      value: this,
      writable: false,
      enumerable: false,
      configurable: false
    });
  }
  on(ev, fn) {
    this.listeners[ev].push(fn);
  }
  removeListener(ev, fn) {
    const list = this.listeners[ev];
    const i2 = list.indexOf(fn);
    if (i2 === -1) {
      return;
    }
    if (i2 === 0 && list.length === 1) {
      list.length = 0;
    } else {
      list.splice(i2, 1);
    }
  }
  emit(ev, code, signal) {
    if (this.emitted[ev]) {
      return false;
    }
    this.emitted[ev] = true;
    let ret = false;
    for (const fn of this.listeners[ev]) {
      ret = fn(code, signal) === true || ret;
    }
    if (ev === "exit") {
      ret = this.emit("afterExit", code, signal) || ret;
    }
    return ret;
  }
};
var SignalExitBase = class {
};
var signalExitWrap = (handler) => {
  return {
    onExit(cb, opts) {
      return handler.onExit(cb, opts);
    },
    load() {
      return handler.load();
    },
    unload() {
      return handler.unload();
    }
  };
};
var SignalExitFallback = class extends SignalExitBase {
  onExit() {
    return () => {
    };
  }
  load() {
  }
  unload() {
  }
};
var SignalExit = class extends SignalExitBase {
  // "SIGHUP" throws an `ENOSYS` error on Windows,
  // so use a supported signal instead
  /* c8 ignore start */
  #hupSig = process9.platform === "win32" ? "SIGINT" : "SIGHUP";
  /* c8 ignore stop */
  #emitter = new Emitter();
  #process;
  #originalProcessEmit;
  #originalProcessReallyExit;
  #sigListeners = {};
  #loaded = false;
  constructor(process10) {
    super();
    this.#process = process10;
    this.#sigListeners = {};
    for (const sig of signals) {
      this.#sigListeners[sig] = () => {
        const listeners = this.#process.listeners(sig);
        let { count: count2 } = this.#emitter;
        const p = process10;
        if (typeof p.__signal_exit_emitter__ === "object" && typeof p.__signal_exit_emitter__.count === "number") {
          count2 += p.__signal_exit_emitter__.count;
        }
        if (listeners.length === count2) {
          this.unload();
          const ret = this.#emitter.emit("exit", null, sig);
          const s = sig === "SIGHUP" ? this.#hupSig : sig;
          if (!ret)
            process10.kill(process10.pid, s);
        }
      };
    }
    this.#originalProcessReallyExit = process10.reallyExit;
    this.#originalProcessEmit = process10.emit;
  }
  onExit(cb, opts) {
    if (!processOk(this.#process)) {
      return () => {
      };
    }
    if (this.#loaded === false) {
      this.load();
    }
    const ev = opts?.alwaysLast ? "afterExit" : "exit";
    this.#emitter.on(ev, cb);
    return () => {
      this.#emitter.removeListener(ev, cb);
      if (this.#emitter.listeners["exit"].length === 0 && this.#emitter.listeners["afterExit"].length === 0) {
        this.unload();
      }
    };
  }
  load() {
    if (this.#loaded) {
      return;
    }
    this.#loaded = true;
    this.#emitter.count += 1;
    for (const sig of signals) {
      try {
        const fn = this.#sigListeners[sig];
        if (fn)
          this.#process.on(sig, fn);
      } catch (_) {
      }
    }
    this.#process.emit = (ev, ...a2) => {
      return this.#processEmit(ev, ...a2);
    };
    this.#process.reallyExit = (code) => {
      return this.#processReallyExit(code);
    };
  }
  unload() {
    if (!this.#loaded) {
      return;
    }
    this.#loaded = false;
    signals.forEach((sig) => {
      const listener = this.#sigListeners[sig];
      if (!listener) {
        throw new Error("Listener not defined for signal: " + sig);
      }
      try {
        this.#process.removeListener(sig, listener);
      } catch (_) {
      }
    });
    this.#process.emit = this.#originalProcessEmit;
    this.#process.reallyExit = this.#originalProcessReallyExit;
    this.#emitter.count -= 1;
  }
  #processReallyExit(code) {
    if (!processOk(this.#process)) {
      return 0;
    }
    this.#process.exitCode = code || 0;
    this.#emitter.emit("exit", this.#process.exitCode, null);
    return this.#originalProcessReallyExit.call(this.#process, this.#process.exitCode);
  }
  #processEmit(ev, ...args) {
    const og = this.#originalProcessEmit;
    if (ev === "exit" && processOk(this.#process)) {
      if (typeof args[0] === "number") {
        this.#process.exitCode = args[0];
      }
      const ret = og.call(this.#process, ev, ...args);
      this.#emitter.emit("exit", this.#process.exitCode, null);
      return ret;
    } else {
      return og.call(this.#process, ev, ...args);
    }
  }
};
var process9 = globalThis.process;
var {
  /**
   * Called when the process is exiting, whether via signal, explicit
   * exit, or running out of stuff to do.
   *
   * If the global process object is not suitable for instrumentation,
   * then this will be a no-op.
   *
   * Returns a function that may be used to unload signal-exit.
   */
  onExit,
  /**
   * Load the listeners.  Likely you never need to call this, unless
   * doing a rather deep integration with signal-exit functionality.
   * Mostly exposed for the benefit of testing.
   *
   * @internal
   */
  load,
  /**
   * Unload the listeners.  Likely you never need to call this, unless
   * doing a rather deep integration with signal-exit functionality.
   * Mostly exposed for the benefit of testing.
   *
   * @internal
   */
  unload
} = signalExitWrap(processOk(process9) ? new SignalExit(process9) : new SignalExitFallback());

// node_modules/execa/lib/terminate/cleanup.js
var cleanupOnExit = (subprocess, { cleanup, detached }, { signal }) => {
  if (!cleanup || detached) {
    return;
  }
  const removeExitHandler = onExit(() => {
    subprocess.kill();
  });
  addAbortListener2(signal, () => {
    removeExitHandler();
  });
};

// node_modules/execa/lib/pipe/pipe-arguments.js
var normalizePipeArguments = ({ source, sourcePromise, boundOptions, createNested }, ...pipeArguments) => {
  const startTime = getStartTime();
  const {
    destination,
    destinationStream,
    destinationError,
    from,
    unpipeSignal
  } = getDestinationStream(boundOptions, createNested, pipeArguments);
  const { sourceStream, sourceError } = getSourceStream(source, from);
  const { options: sourceOptions, fileDescriptors } = SUBPROCESS_OPTIONS.get(source);
  return {
    sourcePromise,
    sourceStream,
    sourceOptions,
    sourceError,
    destination,
    destinationStream,
    destinationError,
    unpipeSignal,
    fileDescriptors,
    startTime
  };
};
var getDestinationStream = (boundOptions, createNested, pipeArguments) => {
  try {
    const {
      destination,
      pipeOptions: { from, to, unpipeSignal } = {}
    } = getDestination(boundOptions, createNested, ...pipeArguments);
    const destinationStream = getToStream(destination, to);
    return {
      destination,
      destinationStream,
      from,
      unpipeSignal
    };
  } catch (error) {
    return { destinationError: error };
  }
};
var getDestination = (boundOptions, createNested, firstArgument, ...pipeArguments) => {
  if (Array.isArray(firstArgument)) {
    const destination = createNested(mapDestinationArguments, boundOptions)(firstArgument, ...pipeArguments);
    return { destination, pipeOptions: boundOptions };
  }
  if (typeof firstArgument === "string" || firstArgument instanceof URL || isDenoExecPath(firstArgument)) {
    if (Object.keys(boundOptions).length > 0) {
      throw new TypeError('Please use .pipe("file", ..., options) or .pipe(execa("file", ..., options)) instead of .pipe(options)("file", ...).');
    }
    const [rawFile, rawArguments, rawOptions] = normalizeParameters(firstArgument, ...pipeArguments);
    const destination = createNested(mapDestinationArguments)(rawFile, rawArguments, rawOptions);
    return { destination, pipeOptions: rawOptions };
  }
  if (SUBPROCESS_OPTIONS.has(firstArgument)) {
    if (Object.keys(boundOptions).length > 0) {
      throw new TypeError("Please use .pipe(options)`command` or .pipe($(options)`command`) instead of .pipe(options)($`command`).");
    }
    return { destination: firstArgument, pipeOptions: pipeArguments[0] };
  }
  throw new TypeError(`The first argument must be a template string, an options object, or an Execa subprocess: ${firstArgument}`);
};
var mapDestinationArguments = ({ options }) => ({ options: { ...options, stdin: "pipe", piped: true } });
var getSourceStream = (source, from) => {
  try {
    const sourceStream = getFromStream(source, from);
    return { sourceStream };
  } catch (error) {
    return { sourceError: error };
  }
};

// node_modules/execa/lib/pipe/throw.js
var handlePipeArgumentsError = ({
  sourceStream,
  sourceError,
  destinationStream,
  destinationError,
  fileDescriptors,
  sourceOptions,
  startTime
}) => {
  const error = getPipeArgumentsError({
    sourceStream,
    sourceError,
    destinationStream,
    destinationError
  });
  if (error !== void 0) {
    throw createNonCommandError({
      error,
      fileDescriptors,
      sourceOptions,
      startTime
    });
  }
};
var getPipeArgumentsError = ({ sourceStream, sourceError, destinationStream, destinationError }) => {
  if (sourceError !== void 0 && destinationError !== void 0) {
    return destinationError;
  }
  if (destinationError !== void 0) {
    abortSourceStream(sourceStream);
    return destinationError;
  }
  if (sourceError !== void 0) {
    endDestinationStream(destinationStream);
    return sourceError;
  }
};
var createNonCommandError = ({ error, fileDescriptors, sourceOptions, startTime }) => makeEarlyError({
  error,
  command: PIPE_COMMAND_MESSAGE,
  escapedCommand: PIPE_COMMAND_MESSAGE,
  fileDescriptors,
  options: sourceOptions,
  startTime,
  isSync: false
});
var PIPE_COMMAND_MESSAGE = "source.pipe(destination)";

// node_modules/execa/lib/pipe/sequence.js
var waitForBothSubprocesses = async (subprocessPromises) => {
  const [
    { status: sourceStatus, reason: sourceReason, value: sourceResult = sourceReason },
    { status: destinationStatus, reason: destinationReason, value: destinationResult = destinationReason }
  ] = await subprocessPromises;
  if (!destinationResult.pipedFrom.includes(sourceResult)) {
    destinationResult.pipedFrom.push(sourceResult);
  }
  if (destinationStatus === "rejected") {
    throw destinationResult;
  }
  if (sourceStatus === "rejected") {
    throw sourceResult;
  }
  return destinationResult;
};

// node_modules/execa/lib/pipe/streaming.js
import { finished as finished4 } from "node:stream/promises";
var pipeSubprocessStream = (sourceStream, destinationStream, maxListenersController) => {
  const mergedStream = MERGED_STREAMS.has(destinationStream) ? pipeMoreSubprocessStream(sourceStream, destinationStream) : pipeFirstSubprocessStream(sourceStream, destinationStream);
  incrementMaxListeners(sourceStream, SOURCE_LISTENERS_PER_PIPE, maxListenersController.signal);
  incrementMaxListeners(destinationStream, DESTINATION_LISTENERS_PER_PIPE, maxListenersController.signal);
  cleanupMergedStreamsMap(destinationStream);
  return mergedStream;
};
var pipeFirstSubprocessStream = (sourceStream, destinationStream) => {
  const mergedStream = mergeStreams([sourceStream]);
  pipeStreams(mergedStream, destinationStream);
  MERGED_STREAMS.set(destinationStream, mergedStream);
  return mergedStream;
};
var pipeMoreSubprocessStream = (sourceStream, destinationStream) => {
  const mergedStream = MERGED_STREAMS.get(destinationStream);
  mergedStream.add(sourceStream);
  return mergedStream;
};
var cleanupMergedStreamsMap = async (destinationStream) => {
  try {
    await finished4(destinationStream, { cleanup: true, readable: false, writable: true });
  } catch {
  }
  MERGED_STREAMS.delete(destinationStream);
};
var MERGED_STREAMS = /* @__PURE__ */ new WeakMap();
var SOURCE_LISTENERS_PER_PIPE = 2;
var DESTINATION_LISTENERS_PER_PIPE = 1;

// node_modules/execa/lib/pipe/abort.js
import { aborted } from "node:util";
var unpipeOnAbort = (unpipeSignal, unpipeContext) => unpipeSignal === void 0 ? [] : [unpipeOnSignalAbort(unpipeSignal, unpipeContext)];
var unpipeOnSignalAbort = async (unpipeSignal, { sourceStream, mergedStream, fileDescriptors, sourceOptions, startTime }) => {
  await aborted(unpipeSignal, sourceStream);
  await mergedStream.remove(sourceStream);
  const error = new Error("Pipe canceled by `unpipeSignal` option.");
  throw createNonCommandError({
    error,
    fileDescriptors,
    sourceOptions,
    startTime
  });
};

// node_modules/execa/lib/pipe/setup.js
var pipeToSubprocess = (sourceInfo, ...pipeArguments) => {
  if (isPlainObject(pipeArguments[0])) {
    return pipeToSubprocess.bind(void 0, {
      ...sourceInfo,
      boundOptions: { ...sourceInfo.boundOptions, ...pipeArguments[0] }
    });
  }
  const { destination, ...normalizedInfo } = normalizePipeArguments(sourceInfo, ...pipeArguments);
  const promise = handlePipePromise({ ...normalizedInfo, destination });
  promise.pipe = pipeToSubprocess.bind(void 0, {
    ...sourceInfo,
    source: destination,
    sourcePromise: promise,
    boundOptions: {}
  });
  return promise;
};
var handlePipePromise = async ({
  sourcePromise,
  sourceStream,
  sourceOptions,
  sourceError,
  destination,
  destinationStream,
  destinationError,
  unpipeSignal,
  fileDescriptors,
  startTime
}) => {
  const subprocessPromises = getSubprocessPromises(sourcePromise, destination);
  handlePipeArgumentsError({
    sourceStream,
    sourceError,
    destinationStream,
    destinationError,
    fileDescriptors,
    sourceOptions,
    startTime
  });
  const maxListenersController = new AbortController();
  try {
    const mergedStream = pipeSubprocessStream(sourceStream, destinationStream, maxListenersController);
    return await Promise.race([
      waitForBothSubprocesses(subprocessPromises),
      ...unpipeOnAbort(unpipeSignal, {
        sourceStream,
        mergedStream,
        sourceOptions,
        fileDescriptors,
        startTime
      })
    ]);
  } finally {
    maxListenersController.abort();
  }
};
var getSubprocessPromises = (sourcePromise, destination) => Promise.allSettled([sourcePromise, destination]);

// node_modules/execa/lib/io/contents.js
import { setImmediate as setImmediate2 } from "node:timers/promises";

// node_modules/execa/lib/io/iterate.js
import { on as on5 } from "node:events";
import { getDefaultHighWaterMark as getDefaultHighWaterMark3 } from "node:stream";
var iterateOnSubprocessStream = ({ subprocessStdout, subprocess, binary, shouldEncode, encoding, preserveNewlines }) => {
  const controller = new AbortController();
  stopReadingOnExit(subprocess, controller);
  return iterateOnStream({
    stream: subprocessStdout,
    controller,
    binary,
    shouldEncode: !subprocessStdout.readableObjectMode && shouldEncode,
    encoding,
    shouldSplit: !subprocessStdout.readableObjectMode,
    preserveNewlines
  });
};
var stopReadingOnExit = async (subprocess, controller) => {
  try {
    await subprocess;
  } catch {
  } finally {
    controller.abort();
  }
};
var iterateForResult = ({ stream, onStreamEnd, lines, encoding, stripFinalNewline: stripFinalNewline2, allMixed }) => {
  const controller = new AbortController();
  stopReadingOnStreamEnd(onStreamEnd, controller, stream);
  const objectMode = stream.readableObjectMode && !allMixed;
  return iterateOnStream({
    stream,
    controller,
    binary: encoding === "buffer",
    shouldEncode: !objectMode,
    encoding,
    shouldSplit: !objectMode && lines,
    preserveNewlines: !stripFinalNewline2
  });
};
var stopReadingOnStreamEnd = async (onStreamEnd, controller, stream) => {
  try {
    await onStreamEnd;
  } catch {
    stream.destroy();
  } finally {
    controller.abort();
  }
};
var iterateOnStream = ({ stream, controller, binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) => {
  const onStdoutChunk = on5(stream, "data", {
    signal: controller.signal,
    highWaterMark: HIGH_WATER_MARK,
    // Backward compatibility with older name for this option
    // See https://github.com/nodejs/node/pull/52080#discussion_r1525227861
    // @todo Remove after removing support for Node 21
    highWatermark: HIGH_WATER_MARK
  });
  return iterateOnData({
    onStdoutChunk,
    controller,
    binary,
    shouldEncode,
    encoding,
    shouldSplit,
    preserveNewlines
  });
};
var DEFAULT_OBJECT_HIGH_WATER_MARK = getDefaultHighWaterMark3(true);
var HIGH_WATER_MARK = DEFAULT_OBJECT_HIGH_WATER_MARK;
var iterateOnData = async function* ({ onStdoutChunk, controller, binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) {
  const generators = getGenerators({
    binary,
    shouldEncode,
    encoding,
    shouldSplit,
    preserveNewlines
  });
  try {
    for await (const [chunk] of onStdoutChunk) {
      yield* transformChunkSync(chunk, generators, 0);
    }
  } catch (error) {
    if (!controller.signal.aborted) {
      throw error;
    }
  } finally {
    yield* finalChunksSync(generators);
  }
};
var getGenerators = ({ binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) => [
  getEncodingTransformGenerator(binary, encoding, !shouldEncode),
  getSplitLinesGenerator(binary, preserveNewlines, !shouldSplit, {})
].filter(Boolean);

// node_modules/execa/lib/io/contents.js
var getStreamOutput = async ({ stream, onStreamEnd, fdNumber, encoding, buffer, maxBuffer, lines, allMixed, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => {
  const logPromise = logOutputAsync({
    stream,
    onStreamEnd,
    fdNumber,
    encoding,
    allMixed,
    verboseInfo,
    streamInfo
  });
  if (!buffer) {
    await Promise.all([resumeStream(stream), logPromise]);
    return;
  }
  const stripFinalNewlineValue = getStripFinalNewline(stripFinalNewline2, fdNumber);
  const iterable = iterateForResult({
    stream,
    onStreamEnd,
    lines,
    encoding,
    stripFinalNewline: stripFinalNewlineValue,
    allMixed
  });
  const [output] = await Promise.all([
    getStreamContents2({
      stream,
      iterable,
      fdNumber,
      encoding,
      maxBuffer,
      lines
    }),
    logPromise
  ]);
  return output;
};
var logOutputAsync = async ({ stream, onStreamEnd, fdNumber, encoding, allMixed, verboseInfo, streamInfo: { fileDescriptors } }) => {
  if (!shouldLogOutput({
    stdioItems: fileDescriptors[fdNumber]?.stdioItems,
    encoding,
    verboseInfo,
    fdNumber
  })) {
    return;
  }
  const linesIterable = iterateForResult({
    stream,
    onStreamEnd,
    lines: true,
    encoding,
    stripFinalNewline: true,
    allMixed
  });
  await logLines(linesIterable, stream, fdNumber, verboseInfo);
};
var resumeStream = async (stream) => {
  await setImmediate2();
  if (stream.readableFlowing === null) {
    stream.resume();
  }
};
var getStreamContents2 = async ({ stream, stream: { readableObjectMode }, iterable, fdNumber, encoding, maxBuffer, lines }) => {
  try {
    if (readableObjectMode || lines) {
      return await getStreamAsArray(iterable, { maxBuffer });
    }
    if (encoding === "buffer") {
      return new Uint8Array(await getStreamAsArrayBuffer(iterable, { maxBuffer }));
    }
    return await getStreamAsString(iterable, { maxBuffer });
  } catch (error) {
    return handleBufferedData(handleMaxBuffer({
      error,
      stream,
      readableObjectMode,
      lines,
      encoding,
      fdNumber
    }));
  }
};
var getBufferedData = async (streamPromise) => {
  try {
    return await streamPromise;
  } catch (error) {
    return handleBufferedData(error);
  }
};
var handleBufferedData = ({ bufferedData }) => isArrayBuffer(bufferedData) ? new Uint8Array(bufferedData) : bufferedData;

// node_modules/execa/lib/resolve/wait-stream.js
import { finished as finished5 } from "node:stream/promises";
var waitForStream = async (stream, fdNumber, streamInfo, { isSameDirection, stopOnExit = false } = {}) => {
  const state = handleStdinDestroy(stream, streamInfo);
  const abortController = new AbortController();
  try {
    await Promise.race([
      ...stopOnExit ? [streamInfo.exitPromise] : [],
      finished5(stream, { cleanup: true, signal: abortController.signal })
    ]);
  } catch (error) {
    if (!state.stdinCleanedUp) {
      handleStreamError(error, fdNumber, streamInfo, isSameDirection);
    }
  } finally {
    abortController.abort();
  }
};
var handleStdinDestroy = (stream, { originalStreams: [originalStdin], subprocess }) => {
  const state = { stdinCleanedUp: false };
  if (stream === originalStdin) {
    spyOnStdinDestroy(stream, subprocess, state);
  }
  return state;
};
var spyOnStdinDestroy = (subprocessStdin, subprocess, state) => {
  const { _destroy } = subprocessStdin;
  subprocessStdin._destroy = (...destroyArguments) => {
    setStdinCleanedUp(subprocess, state);
    _destroy.call(subprocessStdin, ...destroyArguments);
  };
};
var setStdinCleanedUp = ({ exitCode, signalCode }, state) => {
  if (exitCode !== null || signalCode !== null) {
    state.stdinCleanedUp = true;
  }
};
var handleStreamError = (error, fdNumber, streamInfo, isSameDirection) => {
  if (!shouldIgnoreStreamError(error, fdNumber, streamInfo, isSameDirection)) {
    throw error;
  }
};
var shouldIgnoreStreamError = (error, fdNumber, streamInfo, isSameDirection = true) => {
  if (streamInfo.propagating) {
    return isStreamEpipe(error) || isStreamAbort(error);
  }
  streamInfo.propagating = true;
  return isInputFileDescriptor(streamInfo, fdNumber) === isSameDirection ? isStreamEpipe(error) : isStreamAbort(error);
};
var isInputFileDescriptor = ({ fileDescriptors }, fdNumber) => fdNumber !== "all" && fileDescriptors[fdNumber].direction === "input";
var isStreamAbort = (error) => error?.code === "ERR_STREAM_PREMATURE_CLOSE";
var isStreamEpipe = (error) => error?.code === "EPIPE";

// node_modules/execa/lib/resolve/stdio.js
var waitForStdioStreams = ({ subprocess, encoding, buffer, maxBuffer, lines, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => subprocess.stdio.map((stream, fdNumber) => waitForSubprocessStream({
  stream,
  fdNumber,
  encoding,
  buffer: buffer[fdNumber],
  maxBuffer: maxBuffer[fdNumber],
  lines: lines[fdNumber],
  allMixed: false,
  stripFinalNewline: stripFinalNewline2,
  verboseInfo,
  streamInfo
}));
var waitForSubprocessStream = async ({ stream, fdNumber, encoding, buffer, maxBuffer, lines, allMixed, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => {
  if (!stream) {
    return;
  }
  const onStreamEnd = waitForStream(stream, fdNumber, streamInfo);
  if (isInputFileDescriptor(streamInfo, fdNumber)) {
    await onStreamEnd;
    return;
  }
  const [output] = await Promise.all([
    getStreamOutput({
      stream,
      onStreamEnd,
      fdNumber,
      encoding,
      buffer,
      maxBuffer,
      lines,
      allMixed,
      stripFinalNewline: stripFinalNewline2,
      verboseInfo,
      streamInfo
    }),
    onStreamEnd
  ]);
  return output;
};

// node_modules/execa/lib/resolve/all-async.js
var makeAllStream = ({ stdout, stderr }, { all }) => all && (stdout || stderr) ? mergeStreams([stdout, stderr].filter(Boolean)) : void 0;
var waitForAllStream = ({ subprocess, encoding, buffer, maxBuffer, lines, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => waitForSubprocessStream({
  ...getAllStream(subprocess, buffer),
  fdNumber: "all",
  encoding,
  maxBuffer: maxBuffer[1] + maxBuffer[2],
  lines: lines[1] || lines[2],
  allMixed: getAllMixed(subprocess),
  stripFinalNewline: stripFinalNewline2,
  verboseInfo,
  streamInfo
});
var getAllStream = ({ stdout, stderr, all }, [, bufferStdout, bufferStderr]) => {
  const buffer = bufferStdout || bufferStderr;
  if (!buffer) {
    return { stream: all, buffer };
  }
  if (!bufferStdout) {
    return { stream: stderr, buffer };
  }
  if (!bufferStderr) {
    return { stream: stdout, buffer };
  }
  return { stream: all, buffer };
};
var getAllMixed = ({ all, stdout, stderr }) => all && stdout && stderr && stdout.readableObjectMode !== stderr.readableObjectMode;

// node_modules/execa/lib/resolve/wait-subprocess.js
import { once as once8 } from "node:events";

// node_modules/execa/lib/verbose/ipc.js
var shouldLogIpc = (verboseInfo) => isFullVerbose(verboseInfo, "ipc");
var logIpcOutput = (message, verboseInfo) => {
  const verboseMessage = serializeVerboseMessage(message);
  verboseLog({
    type: "ipc",
    verboseMessage,
    fdNumber: "ipc",
    verboseInfo
  });
};

// node_modules/execa/lib/ipc/buffer-messages.js
var waitForIpcOutput = async ({
  subprocess,
  buffer: bufferArray,
  maxBuffer: maxBufferArray,
  ipc,
  ipcOutput,
  verboseInfo
}) => {
  if (!ipc) {
    return ipcOutput;
  }
  const isVerbose2 = shouldLogIpc(verboseInfo);
  const buffer = getFdSpecificValue(bufferArray, "ipc");
  const maxBuffer = getFdSpecificValue(maxBufferArray, "ipc");
  for await (const message of loopOnMessages({
    anyProcess: subprocess,
    channel: subprocess.channel,
    isSubprocess: false,
    ipc,
    shouldAwait: false,
    reference: true
  })) {
    if (buffer) {
      checkIpcMaxBuffer(subprocess, ipcOutput, maxBuffer);
      ipcOutput.push(message);
    }
    if (isVerbose2) {
      logIpcOutput(message, verboseInfo);
    }
  }
  return ipcOutput;
};
var getBufferedIpcOutput = async (ipcOutputPromise, ipcOutput) => {
  await Promise.allSettled([ipcOutputPromise]);
  return ipcOutput;
};

// node_modules/execa/lib/resolve/wait-subprocess.js
var waitForSubprocessResult = async ({
  subprocess,
  options: {
    encoding,
    buffer,
    maxBuffer,
    lines,
    timeoutDuration: timeout,
    cancelSignal,
    gracefulCancel,
    forceKillAfterDelay,
    stripFinalNewline: stripFinalNewline2,
    ipc,
    ipcInput
  },
  context,
  verboseInfo,
  fileDescriptors,
  originalStreams,
  onInternalError,
  controller
}) => {
  const exitPromise = waitForExit(subprocess, context);
  const streamInfo = {
    originalStreams,
    fileDescriptors,
    subprocess,
    exitPromise,
    propagating: false
  };
  const stdioPromises = waitForStdioStreams({
    subprocess,
    encoding,
    buffer,
    maxBuffer,
    lines,
    stripFinalNewline: stripFinalNewline2,
    verboseInfo,
    streamInfo
  });
  const allPromise = waitForAllStream({
    subprocess,
    encoding,
    buffer,
    maxBuffer,
    lines,
    stripFinalNewline: stripFinalNewline2,
    verboseInfo,
    streamInfo
  });
  const ipcOutput = [];
  const ipcOutputPromise = waitForIpcOutput({
    subprocess,
    buffer,
    maxBuffer,
    ipc,
    ipcOutput,
    verboseInfo
  });
  const originalPromises = waitForOriginalStreams(originalStreams, subprocess, streamInfo);
  const customStreamsEndPromises = waitForCustomStreamsEnd(fileDescriptors, streamInfo);
  try {
    return await Promise.race([
      Promise.all([
        {},
        waitForSuccessfulExit(exitPromise),
        Promise.all(stdioPromises),
        allPromise,
        ipcOutputPromise,
        sendIpcInput(subprocess, ipcInput),
        ...originalPromises,
        ...customStreamsEndPromises
      ]),
      onInternalError,
      throwOnSubprocessError(subprocess, controller),
      ...throwOnTimeout(subprocess, timeout, context, controller),
      ...throwOnCancel({
        subprocess,
        cancelSignal,
        gracefulCancel,
        context,
        controller
      }),
      ...throwOnGracefulCancel({
        subprocess,
        cancelSignal,
        gracefulCancel,
        forceKillAfterDelay,
        context,
        controller
      })
    ]);
  } catch (error) {
    context.terminationReason ??= "other";
    return Promise.all([
      { error },
      exitPromise,
      Promise.all(stdioPromises.map((stdioPromise) => getBufferedData(stdioPromise))),
      getBufferedData(allPromise),
      getBufferedIpcOutput(ipcOutputPromise, ipcOutput),
      Promise.allSettled(originalPromises),
      Promise.allSettled(customStreamsEndPromises)
    ]);
  }
};
var waitForOriginalStreams = (originalStreams, subprocess, streamInfo) => originalStreams.map((stream, fdNumber) => stream === subprocess.stdio[fdNumber] ? void 0 : waitForStream(stream, fdNumber, streamInfo));
var waitForCustomStreamsEnd = (fileDescriptors, streamInfo) => fileDescriptors.flatMap(({ stdioItems }, fdNumber) => stdioItems.filter(({ value, stream = value }) => isStream(stream, { checkOpen: false }) && !isStandardStream(stream)).map(({ type, value, stream = value }) => waitForStream(stream, fdNumber, streamInfo, {
  isSameDirection: TRANSFORM_TYPES.has(type),
  stopOnExit: type === "native"
})));
var throwOnSubprocessError = async (subprocess, { signal }) => {
  const [error] = await once8(subprocess, "error", { signal });
  throw error;
};

// node_modules/execa/lib/convert/concurrent.js
var initializeConcurrentStreams = () => ({
  readableDestroy: /* @__PURE__ */ new WeakMap(),
  writableFinal: /* @__PURE__ */ new WeakMap(),
  writableDestroy: /* @__PURE__ */ new WeakMap()
});
var addConcurrentStream = (concurrentStreams, stream, waitName) => {
  const weakMap = concurrentStreams[waitName];
  if (!weakMap.has(stream)) {
    weakMap.set(stream, []);
  }
  const promises = weakMap.get(stream);
  const promise = createDeferred();
  promises.push(promise);
  const resolve12 = promise.resolve.bind(promise);
  return { resolve: resolve12, promises };
};
var waitForConcurrentStreams = async ({ resolve: resolve12, promises }, subprocess) => {
  resolve12();
  const [isSubprocessExit] = await Promise.race([
    Promise.allSettled([true, subprocess]),
    Promise.all([false, ...promises])
  ]);
  return !isSubprocessExit;
};

// node_modules/execa/lib/convert/readable.js
import { Readable as Readable3 } from "node:stream";
import { callbackify as callbackify2 } from "node:util";

// node_modules/execa/lib/convert/shared.js
import { finished as finished6 } from "node:stream/promises";
var safeWaitForSubprocessStdin = async (subprocessStdin) => {
  if (subprocessStdin === void 0) {
    return;
  }
  try {
    await waitForSubprocessStdin(subprocessStdin);
  } catch {
  }
};
var safeWaitForSubprocessStdout = async (subprocessStdout) => {
  if (subprocessStdout === void 0) {
    return;
  }
  try {
    await waitForSubprocessStdout(subprocessStdout);
  } catch {
  }
};
var waitForSubprocessStdin = async (subprocessStdin) => {
  await finished6(subprocessStdin, { cleanup: true, readable: false, writable: true });
};
var waitForSubprocessStdout = async (subprocessStdout) => {
  await finished6(subprocessStdout, { cleanup: true, readable: true, writable: false });
};
var waitForSubprocess = async (subprocess, error) => {
  await subprocess;
  if (error) {
    throw error;
  }
};
var destroyOtherStream = (stream, isOpen, error) => {
  if (error && !isStreamAbort(error)) {
    stream.destroy(error);
  } else if (isOpen) {
    stream.destroy();
  }
};

// node_modules/execa/lib/convert/readable.js
var createReadable = ({ subprocess, concurrentStreams, encoding }, { from, binary: binaryOption = true, preserveNewlines = true } = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { subprocessStdout, waitReadableDestroy } = getSubprocessStdout(subprocess, from, concurrentStreams);
  const { readableEncoding, readableObjectMode, readableHighWaterMark } = getReadableOptions(subprocessStdout, binary);
  const { read, onStdoutDataDone } = getReadableMethods({
    subprocessStdout,
    subprocess,
    binary,
    encoding,
    preserveNewlines
  });
  const readable2 = new Readable3({
    read,
    destroy: callbackify2(onReadableDestroy.bind(void 0, { subprocessStdout, subprocess, waitReadableDestroy })),
    highWaterMark: readableHighWaterMark,
    objectMode: readableObjectMode,
    encoding: readableEncoding
  });
  onStdoutFinished({
    subprocessStdout,
    onStdoutDataDone,
    readable: readable2,
    subprocess
  });
  return readable2;
};
var getSubprocessStdout = (subprocess, from, concurrentStreams) => {
  const subprocessStdout = getFromStream(subprocess, from);
  const waitReadableDestroy = addConcurrentStream(concurrentStreams, subprocessStdout, "readableDestroy");
  return { subprocessStdout, waitReadableDestroy };
};
var getReadableOptions = ({ readableEncoding, readableObjectMode, readableHighWaterMark }, binary) => binary ? { readableEncoding, readableObjectMode, readableHighWaterMark } : { readableEncoding, readableObjectMode: true, readableHighWaterMark: DEFAULT_OBJECT_HIGH_WATER_MARK };
var getReadableMethods = ({ subprocessStdout, subprocess, binary, encoding, preserveNewlines }) => {
  const onStdoutDataDone = createDeferred();
  const onStdoutData = iterateOnSubprocessStream({
    subprocessStdout,
    subprocess,
    binary,
    shouldEncode: !binary,
    encoding,
    preserveNewlines
  });
  return {
    read() {
      onRead(this, onStdoutData, onStdoutDataDone);
    },
    onStdoutDataDone
  };
};
var onRead = async (readable2, onStdoutData, onStdoutDataDone) => {
  try {
    const { value, done } = await onStdoutData.next();
    if (done) {
      onStdoutDataDone.resolve();
    } else {
      readable2.push(value);
    }
  } catch {
  }
};
var onStdoutFinished = async ({ subprocessStdout, onStdoutDataDone, readable: readable2, subprocess, subprocessStdin }) => {
  try {
    await waitForSubprocessStdout(subprocessStdout);
    await subprocess;
    await safeWaitForSubprocessStdin(subprocessStdin);
    await onStdoutDataDone;
    if (readable2.readable) {
      readable2.push(null);
    }
  } catch (error) {
    await safeWaitForSubprocessStdin(subprocessStdin);
    destroyOtherReadable(readable2, error);
  }
};
var onReadableDestroy = async ({ subprocessStdout, subprocess, waitReadableDestroy }, error) => {
  if (await waitForConcurrentStreams(waitReadableDestroy, subprocess)) {
    destroyOtherReadable(subprocessStdout, error);
    await waitForSubprocess(subprocess, error);
  }
};
var destroyOtherReadable = (stream, error) => {
  destroyOtherStream(stream, stream.readable, error);
};

// node_modules/execa/lib/convert/writable.js
import { Writable as Writable3 } from "node:stream";
import { callbackify as callbackify3 } from "node:util";
var createWritable = ({ subprocess, concurrentStreams }, { to } = {}) => {
  const { subprocessStdin, waitWritableFinal, waitWritableDestroy } = getSubprocessStdin(subprocess, to, concurrentStreams);
  const writable2 = new Writable3({
    ...getWritableMethods(subprocessStdin, subprocess, waitWritableFinal),
    destroy: callbackify3(onWritableDestroy.bind(void 0, {
      subprocessStdin,
      subprocess,
      waitWritableFinal,
      waitWritableDestroy
    })),
    highWaterMark: subprocessStdin.writableHighWaterMark,
    objectMode: subprocessStdin.writableObjectMode
  });
  onStdinFinished(subprocessStdin, writable2);
  return writable2;
};
var getSubprocessStdin = (subprocess, to, concurrentStreams) => {
  const subprocessStdin = getToStream(subprocess, to);
  const waitWritableFinal = addConcurrentStream(concurrentStreams, subprocessStdin, "writableFinal");
  const waitWritableDestroy = addConcurrentStream(concurrentStreams, subprocessStdin, "writableDestroy");
  return { subprocessStdin, waitWritableFinal, waitWritableDestroy };
};
var getWritableMethods = (subprocessStdin, subprocess, waitWritableFinal) => ({
  write: onWrite.bind(void 0, subprocessStdin),
  final: callbackify3(onWritableFinal.bind(void 0, subprocessStdin, subprocess, waitWritableFinal))
});
var onWrite = (subprocessStdin, chunk, encoding, done) => {
  if (subprocessStdin.write(chunk, encoding)) {
    done();
  } else {
    subprocessStdin.once("drain", done);
  }
};
var onWritableFinal = async (subprocessStdin, subprocess, waitWritableFinal) => {
  if (await waitForConcurrentStreams(waitWritableFinal, subprocess)) {
    if (subprocessStdin.writable) {
      subprocessStdin.end();
    }
    await subprocess;
  }
};
var onStdinFinished = async (subprocessStdin, writable2, subprocessStdout) => {
  try {
    await waitForSubprocessStdin(subprocessStdin);
    if (writable2.writable) {
      writable2.end();
    }
  } catch (error) {
    await safeWaitForSubprocessStdout(subprocessStdout);
    destroyOtherWritable(writable2, error);
  }
};
var onWritableDestroy = async ({ subprocessStdin, subprocess, waitWritableFinal, waitWritableDestroy }, error) => {
  await waitForConcurrentStreams(waitWritableFinal, subprocess);
  if (await waitForConcurrentStreams(waitWritableDestroy, subprocess)) {
    destroyOtherWritable(subprocessStdin, error);
    await waitForSubprocess(subprocess, error);
  }
};
var destroyOtherWritable = (stream, error) => {
  destroyOtherStream(stream, stream.writable, error);
};

// node_modules/execa/lib/convert/duplex.js
import { Duplex as Duplex3 } from "node:stream";
import { callbackify as callbackify4 } from "node:util";
var createDuplex = ({ subprocess, concurrentStreams, encoding }, { from, to, binary: binaryOption = true, preserveNewlines = true } = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { subprocessStdout, waitReadableDestroy } = getSubprocessStdout(subprocess, from, concurrentStreams);
  const { subprocessStdin, waitWritableFinal, waitWritableDestroy } = getSubprocessStdin(subprocess, to, concurrentStreams);
  const { readableEncoding, readableObjectMode, readableHighWaterMark } = getReadableOptions(subprocessStdout, binary);
  const { read, onStdoutDataDone } = getReadableMethods({
    subprocessStdout,
    subprocess,
    binary,
    encoding,
    preserveNewlines
  });
  const duplex2 = new Duplex3({
    read,
    ...getWritableMethods(subprocessStdin, subprocess, waitWritableFinal),
    destroy: callbackify4(onDuplexDestroy.bind(void 0, {
      subprocessStdout,
      subprocessStdin,
      subprocess,
      waitReadableDestroy,
      waitWritableFinal,
      waitWritableDestroy
    })),
    readableHighWaterMark,
    writableHighWaterMark: subprocessStdin.writableHighWaterMark,
    readableObjectMode,
    writableObjectMode: subprocessStdin.writableObjectMode,
    encoding: readableEncoding
  });
  onStdoutFinished({
    subprocessStdout,
    onStdoutDataDone,
    readable: duplex2,
    subprocess,
    subprocessStdin
  });
  onStdinFinished(subprocessStdin, duplex2, subprocessStdout);
  return duplex2;
};
var onDuplexDestroy = async ({ subprocessStdout, subprocessStdin, subprocess, waitReadableDestroy, waitWritableFinal, waitWritableDestroy }, error) => {
  await Promise.all([
    onReadableDestroy({ subprocessStdout, subprocess, waitReadableDestroy }, error),
    onWritableDestroy({
      subprocessStdin,
      subprocess,
      waitWritableFinal,
      waitWritableDestroy
    }, error)
  ]);
};

// node_modules/execa/lib/convert/iterable.js
var createIterable = (subprocess, encoding, {
  from,
  binary: binaryOption = false,
  preserveNewlines = false
} = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const subprocessStdout = getFromStream(subprocess, from);
  const onStdoutData = iterateOnSubprocessStream({
    subprocessStdout,
    subprocess,
    binary,
    shouldEncode: true,
    encoding,
    preserveNewlines
  });
  return iterateOnStdoutData(onStdoutData, subprocessStdout, subprocess);
};
var iterateOnStdoutData = async function* (onStdoutData, subprocessStdout, subprocess) {
  try {
    yield* onStdoutData;
  } finally {
    if (subprocessStdout.readable) {
      subprocessStdout.destroy();
    }
    await subprocess;
  }
};

// node_modules/execa/lib/convert/add.js
var addConvertedStreams = (subprocess, { encoding }) => {
  const concurrentStreams = initializeConcurrentStreams();
  subprocess.readable = createReadable.bind(void 0, { subprocess, concurrentStreams, encoding });
  subprocess.writable = createWritable.bind(void 0, { subprocess, concurrentStreams });
  subprocess.duplex = createDuplex.bind(void 0, { subprocess, concurrentStreams, encoding });
  subprocess.iterable = createIterable.bind(void 0, subprocess, encoding);
  subprocess[Symbol.asyncIterator] = createIterable.bind(void 0, subprocess, encoding, {});
};

// node_modules/execa/lib/methods/promise.js
var mergePromise = (subprocess, promise) => {
  for (const [property, descriptor] of descriptors) {
    const value = descriptor.value.bind(promise);
    Reflect.defineProperty(subprocess, property, { ...descriptor, value });
  }
};
var nativePromisePrototype = (async () => {
})().constructor.prototype;
var descriptors = ["then", "catch", "finally"].map((property) => [
  property,
  Reflect.getOwnPropertyDescriptor(nativePromisePrototype, property)
]);

// node_modules/execa/lib/methods/main-async.js
var execaCoreAsync = (rawFile, rawArguments, rawOptions, createNested) => {
  const { file, commandArguments, command, escapedCommand, startTime, verboseInfo, options, fileDescriptors } = handleAsyncArguments(rawFile, rawArguments, rawOptions);
  const { subprocess, promise } = spawnSubprocessAsync({
    file,
    commandArguments,
    options,
    startTime,
    verboseInfo,
    command,
    escapedCommand,
    fileDescriptors
  });
  subprocess.pipe = pipeToSubprocess.bind(void 0, {
    source: subprocess,
    sourcePromise: promise,
    boundOptions: {},
    createNested
  });
  mergePromise(subprocess, promise);
  SUBPROCESS_OPTIONS.set(subprocess, { options, fileDescriptors });
  return subprocess;
};
var handleAsyncArguments = (rawFile, rawArguments, rawOptions) => {
  const { command, escapedCommand, startTime, verboseInfo } = handleCommand(rawFile, rawArguments, rawOptions);
  const { file, commandArguments, options: normalizedOptions } = normalizeOptions(rawFile, rawArguments, rawOptions);
  const options = handleAsyncOptions(normalizedOptions);
  const fileDescriptors = handleStdioAsync(options, verboseInfo);
  return {
    file,
    commandArguments,
    command,
    escapedCommand,
    startTime,
    verboseInfo,
    options,
    fileDescriptors
  };
};
var handleAsyncOptions = ({ timeout, signal, ...options }) => {
  if (signal !== void 0) {
    throw new TypeError('The "signal" option has been renamed to "cancelSignal" instead.');
  }
  return { ...options, timeoutDuration: timeout };
};
var spawnSubprocessAsync = ({ file, commandArguments, options, startTime, verboseInfo, command, escapedCommand, fileDescriptors }) => {
  let subprocess;
  try {
    subprocess = spawn(...concatenateShell(file, commandArguments, options));
  } catch (error) {
    return handleEarlyError({
      error,
      command,
      escapedCommand,
      fileDescriptors,
      options,
      startTime,
      verboseInfo
    });
  }
  const controller = new AbortController();
  setMaxListeners(Number.POSITIVE_INFINITY, controller.signal);
  const originalStreams = [...subprocess.stdio];
  pipeOutputAsync(subprocess, fileDescriptors, controller);
  cleanupOnExit(subprocess, options, controller);
  const context = {};
  const onInternalError = createDeferred();
  subprocess.kill = subprocessKill.bind(void 0, {
    kill: subprocess.kill.bind(subprocess),
    options,
    onInternalError,
    context,
    controller
  });
  subprocess.all = makeAllStream(subprocess, options);
  addConvertedStreams(subprocess, options);
  addIpcMethods(subprocess, options);
  const promise = handlePromise({
    subprocess,
    options,
    startTime,
    verboseInfo,
    fileDescriptors,
    originalStreams,
    command,
    escapedCommand,
    context,
    onInternalError,
    controller
  });
  return { subprocess, promise };
};
var handlePromise = async ({ subprocess, options, startTime, verboseInfo, fileDescriptors, originalStreams, command, escapedCommand, context, onInternalError, controller }) => {
  const [
    errorInfo,
    [exitCode, signal],
    stdioResults,
    allResult,
    ipcOutput
  ] = await waitForSubprocessResult({
    subprocess,
    options,
    context,
    verboseInfo,
    fileDescriptors,
    originalStreams,
    onInternalError,
    controller
  });
  controller.abort();
  onInternalError.resolve();
  const stdio = stdioResults.map((stdioResult, fdNumber) => stripNewline(stdioResult, options, fdNumber));
  const all = stripNewline(allResult, options, "all");
  const result = getAsyncResult({
    errorInfo,
    exitCode,
    signal,
    stdio,
    all,
    ipcOutput,
    context,
    options,
    command,
    escapedCommand,
    startTime
  });
  return handleResult(result, verboseInfo, options);
};
var getAsyncResult = ({ errorInfo, exitCode, signal, stdio, all, ipcOutput, context, options, command, escapedCommand, startTime }) => "error" in errorInfo ? makeError({
  error: errorInfo.error,
  command,
  escapedCommand,
  timedOut: context.terminationReason === "timeout",
  isCanceled: context.terminationReason === "cancel" || context.terminationReason === "gracefulCancel",
  isGracefullyCanceled: context.terminationReason === "gracefulCancel",
  isMaxBuffer: errorInfo.error instanceof MaxBufferError,
  isForcefullyTerminated: context.isForcefullyTerminated,
  exitCode,
  signal,
  stdio,
  all,
  ipcOutput,
  options,
  startTime,
  isSync: false
}) : makeSuccessResult({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput,
  options,
  startTime
});

// node_modules/execa/lib/methods/bind.js
var mergeOptions = (boundOptions, options) => {
  const newOptions = Object.fromEntries(
    Object.entries(options).map(([optionName, optionValue]) => [
      optionName,
      mergeOption(optionName, boundOptions[optionName], optionValue)
    ])
  );
  return { ...boundOptions, ...newOptions };
};
var mergeOption = (optionName, boundOptionValue, optionValue) => {
  if (DEEP_OPTIONS.has(optionName) && isPlainObject(boundOptionValue) && isPlainObject(optionValue)) {
    return { ...boundOptionValue, ...optionValue };
  }
  return optionValue;
};
var DEEP_OPTIONS = /* @__PURE__ */ new Set(["env", ...FD_SPECIFIC_OPTIONS]);

// node_modules/execa/lib/methods/create.js
var createExeca = (mapArguments, boundOptions, deepOptions, setBoundExeca) => {
  const createNested = (mapArguments2, boundOptions2, setBoundExeca2) => createExeca(mapArguments2, boundOptions2, deepOptions, setBoundExeca2);
  const boundExeca = (...execaArguments) => callBoundExeca({
    mapArguments,
    deepOptions,
    boundOptions,
    setBoundExeca,
    createNested
  }, ...execaArguments);
  if (setBoundExeca !== void 0) {
    setBoundExeca(boundExeca, createNested, boundOptions);
  }
  return boundExeca;
};
var callBoundExeca = ({ mapArguments, deepOptions = {}, boundOptions = {}, setBoundExeca, createNested }, firstArgument, ...nextArguments) => {
  if (isPlainObject(firstArgument)) {
    return createNested(mapArguments, mergeOptions(boundOptions, firstArgument), setBoundExeca);
  }
  const { file, commandArguments, options, isSync } = parseArguments({
    mapArguments,
    firstArgument,
    nextArguments,
    deepOptions,
    boundOptions
  });
  return isSync ? execaCoreSync(file, commandArguments, options) : execaCoreAsync(file, commandArguments, options, createNested);
};
var parseArguments = ({ mapArguments, firstArgument, nextArguments, deepOptions, boundOptions }) => {
  const callArguments = isTemplateString(firstArgument) ? parseTemplates(firstArgument, nextArguments) : [firstArgument, ...nextArguments];
  const [initialFile, initialArguments, initialOptions] = normalizeParameters(...callArguments);
  const mergedOptions = mergeOptions(mergeOptions(deepOptions, boundOptions), initialOptions);
  const {
    file = initialFile,
    commandArguments = initialArguments,
    options = mergedOptions,
    isSync = false
  } = mapArguments({ file: initialFile, commandArguments: initialArguments, options: mergedOptions });
  return {
    file,
    commandArguments,
    options,
    isSync
  };
};

// node_modules/execa/lib/methods/command.js
var mapCommandAsync = ({ file, commandArguments }) => parseCommand(file, commandArguments);
var mapCommandSync = ({ file, commandArguments }) => ({ ...parseCommand(file, commandArguments), isSync: true });
var parseCommand = (command, unusedArguments) => {
  if (unusedArguments.length > 0) {
    throw new TypeError(`The command and its arguments must be passed as a single string: ${command} ${unusedArguments}.`);
  }
  const [file, ...commandArguments] = parseCommandString(command);
  return { file, commandArguments };
};
var parseCommandString = (command) => {
  if (typeof command !== "string") {
    throw new TypeError(`The command must be a string: ${String(command)}.`);
  }
  const trimmedCommand = command.trim();
  if (trimmedCommand === "") {
    return [];
  }
  const tokens = [];
  for (const token of trimmedCommand.split(SPACES_REGEXP)) {
    const previousToken = tokens.at(-1);
    if (previousToken && previousToken.endsWith("\\")) {
      tokens[tokens.length - 1] = `${previousToken.slice(0, -1)} ${token}`;
    } else {
      tokens.push(token);
    }
  }
  return tokens;
};
var SPACES_REGEXP = / +/g;

// node_modules/execa/lib/methods/script.js
var setScriptSync = (boundExeca, createNested, boundOptions) => {
  boundExeca.sync = createNested(mapScriptSync, boundOptions);
  boundExeca.s = boundExeca.sync;
};
var mapScriptAsync = ({ options }) => getScriptOptions(options);
var mapScriptSync = ({ options }) => ({ ...getScriptOptions(options), isSync: true });
var getScriptOptions = (options) => ({ options: { ...getScriptStdinOption(options), ...options } });
var getScriptStdinOption = ({ input, inputFile, stdio }) => input === void 0 && inputFile === void 0 && stdio === void 0 ? { stdin: "inherit" } : {};
var deepScriptOptions = { preferLocal: true };

// node_modules/execa/index.js
var execa = createExeca(() => ({}));
var execaSync = createExeca(() => ({ isSync: true }));
var execaCommand = createExeca(mapCommandAsync);
var execaCommandSync = createExeca(mapCommandSync);
var execaNode = createExeca(mapNode);
var $ = createExeca(mapScriptAsync, {}, deepScriptOptions, setScriptSync);
var {
  sendMessage: sendMessage2,
  getOneMessage: getOneMessage2,
  getEachMessage: getEachMessage2,
  getCancelSignal: getCancelSignal2
} = getIpcExport();

// runner/host-facts.ts
var ARCHES = {
  x64: { rpm: "x86_64", deb: "amd64" },
  arm64: { rpm: "aarch64", deb: "arm64" },
  ppc64: { rpm: "ppc64le", deb: "ppc64el" },
  s390x: { rpm: "s390x", deb: "s390x" },
  riscv64: { rpm: "riscv64", deb: "riscv64" },
  ia32: { rpm: "i686", deb: "i386" },
  loong64: { rpm: "loongarch64", deb: "loong64" }
};
function hostArches(nodeArch = arch()) {
  return ARCHES[nodeArch] ?? { rpm: nodeArch, deb: nodeArch };
}
function defaultLabels(rpmArch, debArch) {
  return [.../* @__PURE__ */ new Set([rpmArch, debArch, "noarch", "all"])];
}
async function detectHost(labels) {
  const { rpm, deb } = hostArches();
  const query = await execa("rpm", ["-qa", "--qf", "%{NAME}\\n"], { reject: false, stdin: "ignore" });
  const rpmDatabaseUsable = query.exitCode === 0 && String(query.stdout).trim() !== "";
  return { rpmArch: rpm, debArch: deb, rpmDatabaseUsable, labels: labels ?? defaultLabels(rpm, deb) };
}

// runner/job-runner.ts
import { lstat, mkdir as mkdir3, readdir as readdir3, rm as rm2, writeFile } from "node:fs/promises";
import { isAbsolute, join as join5, relative } from "node:path";

// runner/check-queued-job.ts
var JOB_ID = /^[a-z0-9][a-z0-9._-]*$/;
var KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
function asksForNetwork(job) {
  if (job.network === true) return true;
  const steps = job.steps;
  return Array.isArray(steps) && steps.some((s) => s?.network === true);
}
function queuedJobProblem(item, stages) {
  if (item.planVersion !== PLAN_VERSION) {
    return `the job was planned with plan version ${String(item.planVersion)}; this runner runs version ${PLAN_VERSION}: upgrade the runner or the server so they match`;
  }
  const job = item.job;
  if (typeof job !== "object" || job === null)
    return "the queued payload holds no job: it was not made by albs plan";
  const { id, stage, timeout } = job;
  if (typeof id !== "string" || !JOB_ID.test(id)) {
    return `job id ${JSON.stringify(id)} does not match ${JOB_ID} (it names the job's workspace, artifacts and log): the job was not made by albs plan, or the queue holds a damaged payload`;
  }
  if (typeof stage !== "string" || !stages.includes(stage)) {
    return `job ${id} has stage ${JSON.stringify(stage)}, which this runner does not run (${stages.join(", ")})`;
  }
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
    return `job ${id} has timeout ${JSON.stringify(timeout)}; it must be a positive number of seconds`;
  }
  if (item.trigger?.event === "pull_request" && asksForNetwork(job)) {
    return `job ${id} asks for network in a pull-request pipeline (${item.trigger.ref}); pull requests never get network`;
  }
  if (stage === "build") {
    const macros = job.macros;
    if (typeof macros !== "object" || macros === null || Array.isArray(macros)) {
      return `job ${id} has macros ${JSON.stringify(macros)}; a build job carries an object of rpm macros: the job was not made by albs plan`;
    }
    for (const [name, value] of Object.entries(macros)) {
      const problem = typeof value === "string" ? macroProblem(name, value) : `the macro ${name} is not a string`;
      if (problem) return `job ${id}: ${problem}`;
    }
  }
  if (stage === "sign" || stage === "publish") {
    if (item.trigger?.event === "pull_request") {
      return `job ${id} would ${stage} for a pull request (${item.trigger.ref}); pull requests are never signed or published`;
    }
    const { repo, key } = job;
    if (typeof repo !== "string" || !REPO_NAME.test(repo)) {
      return `job ${id} names repo ${JSON.stringify(repo)}, which does not match ${REPO_NAME} (it becomes a directory name): the job was not made by albs plan`;
    }
    if (typeof key !== "string" || !KEY_NAME.test(key)) {
      return `job ${id} names key ${JSON.stringify(key)}, which does not match ${KEY_NAME} (the key ring turns it into a file name): the job was not made by albs plan`;
    }
  }
  return void 0;
}

// runner/copy-tree.ts
import { cp, mkdir, readdir, realpath } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
async function copyTree(from, to, options) {
  const root = await realpath(from);
  const left = new Set(await Promise.all(options.leaveOut.map(realOrResolved)));
  const holdsLeft = (dir) => [...left].some((path6) => path6.startsWith(`${dir}${sep}`));
  const walk = async (src, dest) => {
    await mkdir(dest, { recursive: true });
    for (const entry of await readdir(src, { withFileTypes: true })) {
      const path6 = join(src, entry.name);
      if (left.has(path6) || src === root && options.leaveOutAtTop?.test(entry.name)) continue;
      if (entry.isDirectory() && holdsLeft(path6)) await walk(path6, join(dest, entry.name));
      else
        await cp(path6, join(dest, entry.name), {
          recursive: true,
          verbatimSymlinks: true,
          preserveTimestamps: true
        });
    }
  };
  await walk(root, to);
}
async function runnerOutputs(context) {
  const repo = await realOrResolved(context.repoDir);
  const workspace = await realOrResolved(context.workspace);
  const artifacts = await realOrResolved(context.artifacts);
  const output = commonAncestor(workspace, artifacts);
  const hidden2 = await Promise.all((context.sandbox?.policy.hidden ?? []).map(realOrResolved));
  return [...output.startsWith(`${repo}${sep}`) ? [output] : [workspace, artifacts], ...hidden2];
}
function realOrResolved(path6) {
  return realpath(path6).catch(() => resolve(path6));
}
function commonAncestor(a2, b) {
  const left = a2.split(sep);
  const right = b.split(sep);
  let i2 = 0;
  while (i2 < left.length && left[i2] === right[i2]) i2++;
  return left.slice(0, i2).join(sep) || sep;
}

// runner/job-log.ts
import { createWriteStream as createWriteStream2 } from "node:fs";
import { mkdir as mkdir2 } from "node:fs/promises";
import { dirname } from "node:path";
var FileJobLog = class _FileJobLog {
  constructor(path6, stream, listener) {
    this.path = path6;
    this.stream = stream;
    this.listener = listener;
  }
  path;
  stream;
  listener;
  partial = "";
  static async open(path6, listener) {
    await mkdir2(dirname(path6), { recursive: true });
    const stream = createWriteStream2(path6, { flags: "w" });
    await new Promise((resolve12, reject) => stream.once("open", () => resolve12()).once("error", reject));
    return new _FileJobLog(path6, stream, listener);
  }
  info(line) {
    this.flushPartial();
    this.line(`[albs] ${line}`);
  }
  output(chunk) {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }
  /** Write what is left and close the file. */
  async close() {
    this.flushPartial();
    await new Promise((resolve12) => this.stream.end(resolve12));
  }
  flushPartial() {
    if (this.partial) {
      this.line(this.partial);
      this.partial = "";
    }
  }
  line(text) {
    this.stream.write(`${text}
`);
    this.listener?.(text);
  }
};

// runner/plain-paths.ts
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join2, resolve as resolve2, sep as sep2 } from "node:path";
var PLAIN_PATH = /^[A-Za-z0-9/._+-]*$/;
function isPlainPath(path6) {
  return PLAIN_PATH.test(path6);
}
async function plainPaths(dirs, base = tmpdir()) {
  const unplain = Object.entries(dirs).map(([name, dir]) => ({ name, real: resolve2(dir) })).filter((d) => !isPlainPath(d.real));
  if (unplain.length === 0) return { map: (path6) => path6, aliases: [], close: async () => {
  } };
  const home = await mkdtemp(join2(isPlainPath(resolve2(base)) ? resolve2(base) : "/tmp", "albs-paths-"));
  const aliases = unplain.map((d) => ({ ...d, alias: join2(home, d.name) }));
  let closed;
  const close = () => {
    closed ??= rm(home, { recursive: true, force: true });
    return closed;
  };
  try {
    for (const a2 of aliases) await symlink(a2.real, a2.alias, "dir");
  } catch (error) {
    await close();
    throw error;
  }
  const byDepth = [...aliases].sort((a2, b) => b.real.length - a2.real.length);
  return {
    map(path6) {
      const full = resolve2(path6);
      const holder = byDepth.find((a2) => full === a2.real || full.startsWith(`${a2.real}${sep2}`));
      return holder ? holder.alias + full.slice(holder.real.length) : path6;
    },
    aliases,
    close
  };
}

// runner/sandbox.ts
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import { chmod, lchown, readdir as readdir2 } from "node:fs/promises";
import { dirname as dirname2, join as join4, resolve as resolve3, sep as sep3 } from "node:path";

// runner/find-executable.ts
import { accessSync, constants as constants4, statSync as statSync2 } from "node:fs";
import { join as join3 } from "node:path";
function findExecutable(name, path6) {
  for (const dir of path6.split(":")) {
    if (dir === "") continue;
    const file = join3(dir, name);
    try {
      accessSync(file, constants4.X_OK);
      if (statSync2(file).isFile()) return file;
    } catch {
    }
  }
  return void 0;
}

// runner/sandbox.ts
var SYSTEM_DIRS = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];
var SYSTEM_DATA = ["/var/lib/dpkg", "/var/lib/rpm", "/var/lib/alternatives"];
var CLOSE_FDS = [
  "bash",
  "-c",
  'for fd in /proc/$$/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 2 ] && [ -e "/proc/$$/fd/$fd" ]; then eval "exec $fd>&-"; fi; done; exec "$@"',
  "albs-close-fds"
];
var SCRATCH_BYTES = 1024 ** 3;
var PROC_READ_ONLY = ["/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs"];
var SandboxUnavailableError = class extends Error {
  name = "SandboxUnavailableError";
};
function inside(path6, dir) {
  return path6 === dir || path6.startsWith(dir.endsWith(sep3) ? dir : `${dir}${sep3}`);
}
function ancestors(path6) {
  const list = [];
  for (let dir = dirname2(path6); dir !== "/" && dir !== "."; dir = dirname2(dir)) list.unshift(dir);
  return list;
}
function mountArgs(policy, extra) {
  const scratch = String(Math.min(policy.limits.disk, SCRATCH_BYTES));
  const args = [
    "--perms",
    "1777",
    "--size",
    scratch,
    "--tmpfs",
    "/tmp",
    "--proc",
    "/proc",
    "--dev",
    "/dev"
  ];
  for (const dir of SYSTEM_DIRS) {
    let stat5;
    try {
      stat5 = lstatSync(dir);
    } catch {
      continue;
    }
    if (stat5.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else if (stat5.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  args.push("--perms", "0755", "--dir", "/var", "--perms", "0755", "--dir", "/var/lib");
  for (const dir of SYSTEM_DATA) if (existsSync(dir)) args.push("--ro-bind", dir, dir);
  for (const dir of ["/var/tmp", "/var/cache"])
    args.push("--perms", "1777", "--size", scratch, "--tmpfs", dir);
  for (const path6 of PROC_READ_ONLY) if (existsSync(path6)) args.push("--ro-bind", path6, path6);
  const made = /* @__PURE__ */ new Set();
  const parents = (path6) => {
    for (const dir of ancestors(path6)) {
      if (made.has(dir) || SYSTEM_DIRS.some((s) => inside(dir, s))) continue;
      made.add(dir);
      args.push("--perms", "0755", "--dir", dir);
    }
  };
  const hidden2 = policy.hidden.map((p) => resolve3(p));
  const views = [...policy.readOnly, ...extra].map(
    (p) => typeof p === "string" ? { from: resolve3(p), at: resolve3(p) } : { from: resolve3(p.from), at: resolve3(p.at) }
  );
  const readOnly = views.map((v) => v.at);
  const workspace = resolve3(policy.workspace);
  const underHidden = (path6) => hidden2.some((h2) => path6 !== h2 && inside(path6, h2));
  const bind = (flag, path6, from = path6) => {
    parents(path6);
    args.push(flag, from, path6);
  };
  for (const v of views.filter((v2) => !underHidden(v2.at))) bind("--ro-bind", v.at, v.from);
  const masks = [];
  for (const path6 of hidden2) {
    const shown = [...readOnly, workspace].some((v) => inside(path6, v)) || SYSTEM_DIRS.some((s) => inside(path6, s));
    if (!shown) continue;
    let isDir;
    try {
      isDir = lstatSync(path6).isDirectory();
    } catch {
      continue;
    }
    if (isDir) {
      args.push("--tmpfs", path6);
      masks.push(path6);
    } else args.push("--ro-bind", "/dev/null", path6);
  }
  made.clear();
  for (const v of views.filter((v2) => underHidden(v2.at))) bind("--ro-bind", v.at, v.from);
  bind("--bind", workspace);
  for (const path6 of masks) args.push("--remount-ro", path6);
  return args;
}
function euid() {
  return process.geteuid?.() ?? 0;
}
function createSandbox(policy) {
  const root = euid() === 0;
  if (root && policy.buildUid === void 0) {
    throw new Error("a sandbox for a runner running as root needs a buildUid: builds never run as root");
  }
  const uid = root ? policy.buildUid : void 0;
  return {
    policy,
    async prepare() {
      if (uid === void 0) return;
      await chownTree(policy.workspace, uid);
    },
    command(file, args, options) {
      const { limits } = policy;
      const bwrap = [
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-net",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        ...root ? ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"] : ["--unshare-user"],
        ...mountArgs(policy, options.readOnly ?? []),
        "--chdir",
        options.cwd
      ];
      const network = options.network === true;
      if (network) bwrap.unshift("--info-fd", "3", "--block-fd", "4");
      const limited = [
        "prlimit",
        `--as=${limits.memory}`,
        `--nproc=${limits.tasks}`,
        `--fsize=${limits.disk}`,
        "--",
        file,
        ...args
      ];
      const drop = uid === void 0 ? [] : ["setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--inh-caps=-all", "--"];
      const userns = options.asRoot ? ["unshare", "--map-root-user", "--"] : [];
      return {
        file: policy.bwrap,
        args: [...bwrap, "--", ...drop, ...CLOSE_FDS, ...userns, ...limited],
        pipes: network ? 2 : 0,
        ...network ? { attach: (child) => attachNetwork(child, root) } : {}
      };
    }
  };
}
async function readableByOthers(dir, skip) {
  const walk = async (path6) => {
    if (skip.some((s) => inside(path6, s))) return true;
    const stat5 = lstatSync(path6);
    if (stat5.isSymbolicLink()) return true;
    if (stat5.isDirectory()) {
      if ((stat5.mode & 5) !== 5) return false;
      for (const name of await readdir2(path6)) if (!await walk(join4(path6, name))) return false;
      return true;
    }
    return (stat5.mode & 4) !== 0;
  };
  return walk(resolve3(dir));
}
async function makeReadable(dir) {
  const stat5 = lstatSync(dir);
  if (stat5.isSymbolicLink()) return;
  const extra = stat5.isDirectory() || (stat5.mode & 73) !== 0 ? 365 : 292;
  if ((stat5.mode & extra) !== extra) await chmod(dir, stat5.mode & 4095 | extra);
  if (stat5.isDirectory()) for (const name of await readdir2(dir)) await makeReadable(join4(dir, name));
}
async function chownTree(dir, uid) {
  const walk = async (path6) => {
    const stat5 = lstatSync(path6);
    if (stat5.uid !== uid || stat5.gid !== uid) await lchown(path6, uid, uid);
    if (!stat5.isDirectory()) return;
    for (const name of await readdir2(path6)) await walk(join4(path6, name));
  };
  await walk(dir);
}
async function attachNetwork(child, root) {
  const info = child.stdio[3];
  const block = child.stdio[4];
  if (!info || !block) throw new Error("the sandbox with network needs fds 3 and 4 as pipes");
  const pid = await new Promise((resolvePid, reject) => {
    let text = "";
    info.on("data", (chunk) => {
      text += chunk.toString("utf8");
      const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (match?.[1]) resolvePid(Number(match[1]));
    });
    info.once("end", () => reject(new Error(`bwrap reported no child pid (got: ${text || "nothing"})`)));
  });
  const slirp = execa(
    "slirp4netns",
    [
      "--configure",
      "--mtu=65520",
      "--disable-host-loopback",
      "--ready-fd=3",
      ...root ? [] : [`--userns-path=/proc/${pid}/ns/user`],
      String(pid),
      "tap0"
    ],
    { stdio: ["ignore", "ignore", "pipe", "pipe"], reject: false, buffer: false }
  );
  const ready = slirp.stdio[3];
  await new Promise((resolveReady, reject) => {
    if (!ready) return reject(new Error("slirp4netns has no ready fd"));
    ready.once("data", () => resolveReady());
    slirp.once(
      "exit",
      (code) => reject(new Error(`slirp4netns exited with ${code} before the network was up`))
    );
  });
  block.write("1");
  block.end();
  return () => {
    slirp.kill("SIGTERM");
  };
}
function checkSandbox(path6) {
  const fix = "install bubblewrap (scripts/setup does; Debian and Ubuntu: apt-get install bubblewrap; Fedora and EL: dnf install bubblewrap)";
  const bwrap = findExecutable("bwrap", path6);
  if (bwrap === void 0) {
    throw new SandboxUnavailableError(
      `bwrap (bubblewrap) is not on PATH, and every command a package controls runs in its sandbox: ${fix}; --no-sandbox runs builds unsandboxed, where they can read the signing keys and write the repositories`
    );
  }
  const root = euid() === 0;
  const probe = createSandbox({
    bwrap,
    workspace: "/tmp",
    readOnly: [],
    hidden: [],
    limits: DEFAULT_LIMITS,
    buildUid: root ? NOBODY : void 0
  }).command("true", [], { cwd: "/" });
  try {
    execFileSync(probe.file, probe.args, {
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 3e4
    });
  } catch (error) {
    const e = error;
    const said = e.stderr?.toString("utf8").trim() || e.message;
    throw new SandboxUnavailableError(
      `bwrap cannot make a sandbox here (${said}): ${root ? "check that bubblewrap, setpriv and prlimit work as root (bwrap --ro-bind / / true)" : "unprivileged user namespaces are switched off; allow them (Debian: sysctl kernel.unprivileged_userns_clone=1; Ubuntu 24.04 and later: sysctl kernel.apparmor_restrict_unprivileged_userns=0) or run albs as root"}; --no-sandbox runs builds unsandboxed, where they can read the signing keys and write the repositories`,
      { cause: error }
    );
  }
  return bwrap;
}
var NOBODY = 65534;
var BuildUidPool = class {
  constructor(base = 2e9) {
    this.base = base;
  }
  base;
  taken = /* @__PURE__ */ new Set();
  take() {
    let uid = this.base;
    while (this.taken.has(uid)) uid++;
    this.taken.add(uid);
    return uid;
  }
  give(uid) {
    this.taken.delete(uid);
  }
};
async function diskUse(dir) {
  let total = 0;
  const walk = async (path6) => {
    let stat5;
    try {
      stat5 = lstatSync(path6);
    } catch {
      return;
    }
    total += stat5.blocks * 512;
    if (!stat5.isDirectory()) return;
    const names = await readdir2(path6).catch(() => []);
    for (const name of names) await walk(join4(path6, name));
  };
  await walk(dir);
  return total;
}
var DiskLimitError = class extends Error {
  name = "DiskLimitError";
};
function watchDiskUse(dir, limit, everyMs = 2e3) {
  const controller = new AbortController();
  let stopped = false;
  let timer;
  const check = async () => {
    const used = await diskUse(dir);
    if (stopped) return;
    if (used > limit) {
      controller.abort(
        new DiskLimitError(
          `the job's workspace grew past its disk limit (${formatBytes(used)} > ${formatBytes(limit)}): raise build.limits.disk in .albs.yml if the build needs it`
        )
      );
      return;
    }
    timer = setTimeout(check, everyMs);
  };
  timer = setTimeout(check, everyMs);
  return {
    signal: controller.signal,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    }
  };
}
function formatBytes(bytes) {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

// runner/timer-delay.ts
var MAX_TIMER_DELAY = 2 ** 31 - 1;
function timerDelay(ms) {
  if (!Number.isFinite(ms)) return MAX_TIMER_DELAY;
  return Math.min(Math.max(Math.ceil(ms), 0), MAX_TIMER_DELAY);
}

// runner/job-runner.ts
function jobDirs(out) {
  return {
    work: join5(out, "work"),
    artifacts: join5(out, "artifacts"),
    logs: join5(out, "logs"),
    cache: join5(out, "cache")
  };
}
var CancelledError = class extends Error {
  name = "CancelledError";
};
function jobRunner(setup) {
  const stages = Object.keys(setup.steps);
  let repoReadable;
  const readable2 = (hidden2) => {
    repoReadable ??= readableByOthers(setup.repoDir, hidden2);
    return repoReadable;
  };
  return async (item, signal) => {
    const started = performance.now();
    const problem = queuedJobProblem(item, stages);
    if (problem !== void 0) {
      const id = item.job?.id;
      return {
        pipelineId: item.pipelineId,
        jobId: typeof id === "string" ? id : String(id),
        outcome: { state: "failure", reason: problem },
        artifacts: [],
        durationMs: performance.now() - started
      };
    }
    const { job } = item;
    const workspace = join5(setup.dirs.work, job.id);
    const artifacts = join5(setup.dirs.artifacts, job.id);
    await Promise.all([
      rm2(workspace, { recursive: true, force: true }),
      rm2(artifacts, { recursive: true, force: true })
    ]);
    await Promise.all([mkdir3(workspace, { recursive: true }), mkdir3(artifacts, { recursive: true })]);
    const log = await FileJobLog.open(
      join5(setup.dirs.logs, `${job.id}.log`),
      (line) => setup.onLogLine?.(job.id, line)
    );
    const paths = await plainPaths({
      work: setup.dirs.work,
      artifacts: setup.dirs.artifacts,
      repo: setup.repoDir
    });
    let outcome;
    try {
      log.info(`${job.name}: ${job.stage} on ${setup.host.rpmArch} (labels ${setup.host.labels.join(", ")})`);
      for (const a2 of paths.aliases) {
        log.info(
          `this job sees ${a2.real} as ${a2.alias}: rpm does not take that path literally (a % in it starts a macro, %(\u2026) runs a command; a space splits rpmbuild's scripts)`
        );
      }
      const limits = "limits" in job ? job.limits : DEFAULT_LIMITS;
      const inputs = Object.fromEntries(
        Object.entries(item.inputs).map(([id, files2]) => [id, files2.map((f) => paths.map(f))])
      );
      const uid = setup.sandbox && process.geteuid?.() === 0 ? setup.sandbox.uids.take() : void 0;
      let sandbox = null;
      if (setup.sandbox) {
        const repo = paths.map(setup.repoDir);
        const repoView = uid === void 0 || await readable2(setup.sandbox.hidden) ? repo : {
          from: await readableCopy(setup.repoDir, `${workspace}.repo`, setup.sandbox.hidden, log),
          at: repo
        };
        sandbox = createSandbox({
          bwrap: setup.sandbox.bwrap,
          workspace: paths.map(workspace),
          readOnly: [repoView, ...Object.values(inputs).flat()],
          hidden: setup.sandbox.hidden.map((h2) => paths.map(h2)),
          limits,
          buildUid: uid
        });
      } else if (job.stage === "build" || job.stage === "test") {
        log.info(
          "running unsandboxed (--no-sandbox): the package's commands can read keys and write the repositories"
        );
      }
      const timeout = AbortSignal.timeout(timerDelay(job.timeout * 1e3));
      const disk = watchDiskUse(workspace, limits.disk);
      const jobSignal = AbortSignal.any([signal, timeout, disk.signal]);
      try {
        outcome = await runStep(setup.steps[job.stage], {
          job,
          workspace: paths.map(workspace),
          artifacts: paths.map(artifacts),
          repoDir: paths.map(setup.repoDir),
          cache: setup.dirs.cache,
          inputs,
          lookaside: setup.lookaside,
          log,
          host: setup.host,
          signal: jobSignal,
          sandbox
        }).then(
          (result) => toOutcome(result, signal, timeout, job.timeout, disk.signal),
          (error) => {
            if (signal.aborted) return { state: "cancelled", reason: abortReason(signal) };
            if (disk.signal.aborted) return { state: "failure", reason: abortReason(disk.signal) };
            return {
              state: "failure",
              reason: error instanceof Error ? error.message : String(error)
            };
          }
        );
      } finally {
        disk.stop();
        if (uid !== void 0) setup.sandbox?.uids.give(uid);
        await rm2(`${workspace}.repo`, { recursive: true, force: true });
      }
      log.info(`${job.id}: ${outcome.state}${outcome.state === "success" ? "" : `: ${outcome.reason}`}`);
    } finally {
      await paths.close();
    }
    await log.close();
    if (outcome.state === "success") await rm2(workspace, { recursive: true, force: true });
    const files = await readdir3(artifacts).catch(() => []);
    return {
      pipelineId: item.pipelineId,
      jobId: job.id,
      outcome,
      artifacts: files.sort().map((f) => join5(artifacts, f)),
      durationMs: performance.now() - started
    };
  };
}
async function runStep(step, context) {
  if (context.signal.aborted) throw new CancelledError(abortReason(context.signal));
  return step(context);
}
function toOutcome(result, cancel2, timeout, seconds3, disk) {
  if (result.state === "success" && !timeout.aborted && !disk.aborted) return result;
  if (cancel2.aborted) return { state: "cancelled", reason: abortReason(cancel2) };
  if (timeout.aborted) return { state: "failure", reason: `timed out after ${seconds3} s` };
  if (disk.aborted) return { state: "failure", reason: abortReason(disk) };
  return result;
}
async function readableCopy(repo, copy, leaveOut, log) {
  log.info(
    `the repository ${repo} is not readable by other users, and builds run as an unprivileged uid: this job's commands see a copy of it (chmod -R o+rX it to save the copy)`
  );
  await rm2(copy, { recursive: true, force: true });
  await copyTree(repo, copy, { leaveOut, leaveOutAtTop: /^\.git$/ });
  for (const path6 of leaveOut) {
    const rel = relative(repo, path6);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) continue;
    const kind = await lstat(path6).catch(() => void 0);
    if (kind?.isDirectory()) await mkdir3(join5(copy, rel), { recursive: true });
    else if (kind) await writeFile(join5(copy, rel), "");
  }
  await makeReadable(copy);
  return copy;
}
function abortReason(signal) {
  const reason = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? "cancelled");
}

// runner/steps/build.ts
import { copyFile as copyFile3, readdir as readdir9, readFile as readFile5 } from "node:fs/promises";
import { basename as basename6, join as join15 } from "node:path";

// src/sources/errors.ts
var SourceError = class extends Error {
  name = "SourceError";
};
var SpecNotFoundError = class extends SourceError {
  name = "SpecNotFoundError";
};
var SrpmUrlError = class extends SourceError {
  name = "SrpmUrlError";
};
var SrpmDownloadError = class extends SourceError {
  name = "SrpmDownloadError";
};
var SrpmTooLargeError = class extends SourceError {
  name = "SrpmTooLargeError";
};
function hashName(type) {
  return type.toUpperCase().replace(/^SHA(\d)/, "SHA-$1");
}
var DigestMismatchError = class extends SourceError {
  constructor(url, hashType, expected, actual, labels) {
    super(
      `the ${labels.what} downloaded from ${url} has ${hashName(hashType)} ${actual}, but ${labels.expectedFrom} says ${expected}: ` + (labels.expectedFrom.includes(".albs.yml") ? "the file was deleted and nothing was built; if the new file is the one you want, put its sha256 in .albs.yml" : "the file was deleted and nothing was built; the server holds a file that does not match the digest it should have, fix it or point the link elsewhere")
    );
    this.url = url;
    this.hashType = hashType;
    this.expected = expected;
    this.actual = actual;
  }
  url;
  hashType;
  expected;
  actual;
  name = "DigestMismatchError";
};

// runner/job-arch.ts
function jobArch(context, naming) {
  const { arch: arch2 } = context.job.matrix;
  if (typeof arch2 === "string" && arch2 !== "") return arch2;
  return naming === "deb" ? context.host.debArch : context.host.rpmArch;
}

// runner/process.ts
import { mkdirSync, readdirSync, readFileSync as readFileSync3 } from "node:fs";
import { join as join6 } from "node:path";
import { StringDecoder as StringDecoder3 } from "node:string_decoder";
var CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
function cleanEnv(workspace, extra = {}) {
  const home = join6(workspace, "home");
  const tmp = join6(workspace, "tmp");
  mkdirSync(home, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  return { PATH: CLEAN_PATH, LANG: "C.UTF-8", HOME: home, TMPDIR: tmp, ...extra };
}
var ProcessStartError = class extends Error {
  constructor(file, code, options) {
    const fix = code === "ENOENT" ? `is it installed and on the PATH given to it? (scripts/setup installs the tools albs-ci runs)` : "check that the working directory exists and the file is executable";
    super(options?.message ?? `could not start ${file} (${code ?? "unknown error"}): ${fix}`, options);
    this.file = file;
    this.code = code;
  }
  file;
  code;
  name = "ProcessStartError";
};
var MAX_LINE = 64 * 1024;
var liveGroups = /* @__PURE__ */ new Set();
var exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const pgid of liveGroups) signalGroup(pgid, "SIGKILL");
  });
}
function signalGroup(pgid, sig) {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch (error) {
    if (error.code === "ESRCH") return false;
    throw error;
  }
}
var sleep = (ms) => new Promise((resolve12) => setTimeout(resolve12, ms));
async function settlesWithin(promise, ms) {
  let timer;
  try {
    return await Promise.race([
      promise.then(() => true),
      new Promise((resolve12) => {
        timer = setTimeout(() => resolve12(false), ms);
      })
    ]);
  } finally {
    clearTimeout(timer);
  }
}
function groupRunning(pgid) {
  if (!signalGroup(pgid, 0)) return false;
  let pids;
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return true;
  }
  for (const pid of pids) {
    let stat5;
    try {
      stat5 = readFileSync3(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const [state, , group] = stat5.slice(stat5.lastIndexOf(")") + 2).split(" ");
    if (Number(group) === pgid && state !== "Z") return true;
  }
  return false;
}
async function waitGroupGone(pgid, ms) {
  const deadline = Date.now() + ms;
  while (groupRunning(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}
function forwardLines(stream, log) {
  if (!stream) return Promise.resolve();
  const decoder = new StringDecoder3("utf8");
  let partial = "";
  const push = (text) => {
    partial += text;
    let newline = partial.indexOf("\n");
    while (newline !== -1) {
      log.output(partial.slice(0, newline + 1));
      partial = partial.slice(newline + 1);
      newline = partial.indexOf("\n");
    }
    while (partial.length > MAX_LINE) {
      log.output(`${partial.slice(0, MAX_LINE)}
`);
      partial = partial.slice(MAX_LINE);
    }
  };
  const flush = () => {
    push(decoder.end());
    if (partial) log.output(`${partial}
`);
    partial = "";
  };
  return new Promise((resolve12) => {
    stream.on("data", (chunk) => push(decoder.write(chunk)));
    stream.once("close", () => {
      flush();
      resolve12();
    });
  });
}
function formatCommand(file, args) {
  return [file, ...args].map((a2) => /^[\w./:=@%+,-]+$/.test(a2) ? a2 : `'${a2.replaceAll("'", `'\\''`)}'`).join(" ");
}
function describeExit(file, result, timeoutMs) {
  if (result.timedOut) return `${file} timed out after ${Math.round((timeoutMs ?? 0) / 1e3)} s`;
  if (result.aborted) return `${file} was stopped: the job was cancelled or timed out`;
  if (result.exitCode === null) return `${file} was killed by ${result.signal ?? "a signal"}`;
  return `${file} exited with ${result.exitCode}`;
}
async function runProcess(file, args, options) {
  const {
    cwd,
    env,
    log,
    timeout,
    signal,
    killGrace = 5e3,
    sandbox,
    network = false,
    asRoot,
    readOnly
  } = options;
  log.info(`$ ${formatCommand(file, args)}`);
  if (signal?.aborted) return { exitCode: null, signal: null, timedOut: false, aborted: true };
  if (sandbox && !file.includes("/") && !onPath(file, env.PATH ?? ""))
    throw new ProcessStartError(file, "ENOENT");
  await sandbox?.prepare();
  const command = sandbox ? sandbox.command(file, args, { cwd, network, asRoot, readOnly }) : { file, args: [...args], pipes: 0, attach: void 0 };
  const subprocess = execa(command.file, command.args, {
    cwd,
    env,
    extendEnv: false,
    detached: true,
    stdio: ["ignore", "pipe", "pipe", ...Array(command.pipes).fill("pipe")],
    buffer: false,
    reject: false
  });
  const pgid = subprocess.pid;
  if (pgid === void 0) {
    const failed = await subprocess;
    throw new ProcessStartError(file, failed.code, { cause: failed });
  }
  installExitHook();
  liveGroups.add(pgid);
  let stopNetwork;
  if (command.attach) {
    try {
      stopNetwork = await command.attach(subprocess);
    } catch (error) {
      signalGroup(pgid, "SIGKILL");
      await subprocess;
      liveGroups.delete(pgid);
      throw new ProcessStartError(file, "ENETWORK", {
        cause: error,
        message: `could not give ${file} its network (${error instanceof Error ? error.message : String(error)}): is slirp4netns installed? (scripts/setup installs it)`
      });
    }
  }
  const forwarded = Promise.all([forwardLines(subprocess.stdout, log), forwardLines(subprocess.stderr, log)]);
  let timedOut2 = false;
  let aborted2 = false;
  let graceTimer;
  let graceOver;
  const stop = (why) => {
    if (graceOver) return;
    log.info(
      `${why}: stopping ${file} and every process it started (SIGTERM, SIGKILL after ${killGrace / 1e3} s)`
    );
    signalGroup(pgid, "SIGTERM");
    graceOver = new Promise((resolve12) => {
      graceTimer = setTimeout(() => {
        signalGroup(pgid, "SIGKILL");
        resolve12();
      }, timerDelay(killGrace));
    });
  };
  const timer = timeout === void 0 ? void 0 : setTimeout(() => {
    timedOut2 = true;
    stop(`timed out after ${Math.round(timeout / 1e3)} s`);
  }, timerDelay(timeout));
  const onAbort = () => {
    aborted2 = true;
    const reason = signal?.reason;
    stop(`cancelled (${reason instanceof Error ? reason.message : String(reason)})`);
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const [exitCode, exitSignal] = await new Promise(
      (resolve12) => subprocess.once("exit", (code, sig) => resolve12([code, sig]))
    );
    if (timer) clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    if (graceOver) {
      await Promise.race([graceOver, waitGroupGone(pgid, killGrace)]);
    }
    signalGroup(pgid, "SIGKILL");
    await waitGroupGone(pgid, 5e3);
    const streamsClosed = await settlesWithin(forwarded, 2e3);
    if (!streamsClosed) {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
      await forwarded;
    }
    await subprocess;
    return { exitCode, signal: exitSignal, timedOut: timedOut2, aborted: aborted2 && !timedOut2 };
  } finally {
    stopNetwork?.();
    if (timer) clearTimeout(timer);
    if (graceTimer) clearTimeout(graceTimer);
    signal?.removeEventListener("abort", onAbort);
    liveGroups.delete(pgid);
  }
}
function onPath(name, path6) {
  return findExecutable(name, path6) !== void 0;
}

// runner/rpm-define.ts
function rpmDefine(name, value) {
  return ["--define", `${name} ${escapeRpmMacros(value)}`];
}
function escapeRpmMacros(value) {
  return value.replaceAll("%", "%%");
}

// runner/srpm-arches.ts
import { open } from "node:fs/promises";
var TAG = { excludeArch: 1059, exclusiveArch: 1061, buildArchs: 1089 };
async function readSrpmArches(srpm) {
  let header;
  try {
    const handle = await open(srpm, "r");
    try {
      header = (await readRpmPackage(handle, srpm, (await handle.stat()).size)).header;
    } finally {
      await handle.close();
    }
  } catch (error) {
    const why = error instanceof RpmFormatError ? error.message : error.code ?? String(error);
    throw new SourceError(
      `rpm cannot read the src.rpm ${srpm} (${why}): is it a src.rpm? check source.srpm or the spec`,
      { cause: error }
    );
  }
  const built = strings(header, TAG.buildArchs);
  return {
    name: entryString(findEntry(header, HEADER_TAG.name)) ?? "",
    excludeArch: strings(header, TAG.excludeArch),
    exclusiveArch: strings(header, TAG.exclusiveArch),
    noarch: built.length > 0 && built.every((a2) => a2 === "noarch")
  };
}
function strings(header, tag) {
  const entry = findEntry(header, tag);
  if (!entry || entry.type !== TAG_TYPE.string && entry.type !== TAG_TYPE.stringArray) return [];
  return entry.data.toString("utf8").split("\0").slice(0, entry.count);
}

// runner/steps/build-deb.ts
import { copyFile as copyFile2, mkdir as mkdir6, readdir as readdir8, readFile as readFile4 } from "node:fs/promises";
import { basename as basename5, join as join14, relative as relative5, resolve as resolve7 } from "node:path";

// src/sources/debian-control.ts
var SOURCE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
var DEBIAN_VERSION = /^(?:(\d+):)?([0-9][A-Za-z0-9.+~:-]*?)(?:-([A-Za-z0-9+.~]+))?$/;
var DSC_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9.+~_-]*$/;
function parseDeb822(text) {
  const stanzas = [];
  let current;
  let last;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") {
      current = void 0;
      last = void 0;
      continue;
    }
    if (line.startsWith("#")) continue;
    if (/^[ \t]/.test(line)) {
      if (current && last !== void 0) current.set(last, `${current.get(last) ?? ""}
${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    if (!current) {
      current = /* @__PURE__ */ new Map();
      stanzas.push(current);
    }
    last = line.slice(0, colon).trim();
    current.set(last, line.slice(colon + 1).trim());
  }
  return stanzas;
}
function field(stanza, name) {
  if (!stanza) return void 0;
  const wanted = name.toLowerCase();
  for (const [key, value] of stanza) if (key.toLowerCase() === wanted) return value;
  return void 0;
}
function stripClearsign(text) {
  if (!text.startsWith("-----BEGIN PGP SIGNED MESSAGE-----")) return text;
  const lines = text.split(/\r?\n/);
  const start = lines.indexOf("") + 1;
  const end = lines.indexOf("-----BEGIN PGP SIGNATURE-----");
  return lines.slice(start, end === -1 ? lines.length : end).map((l) => l.startsWith("- ") ? l.slice(2) : l).join("\n");
}
function parseDebianVersion(version) {
  const match = DEBIAN_VERSION.exec(version);
  if (!match) return void 0;
  const [, epoch, upstream = "", revision = ""] = match;
  if (epoch === void 0 && upstream.includes(":")) return void 0;
  if (revision === "" && upstream.includes("-")) return void 0;
  return { epoch: Number(epoch ?? 0), upstream, revision };
}
function fileVersion(version) {
  return version.revision ? `${version.upstream}-${version.revision}` : version.upstream;
}
function parseChangelogHead(text, file) {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const match = /^(\S+) \(([^()\s]+)\) ([^;]*);/.exec(first);
  if (!match) {
    throw new SourceError(
      `${file}: the first line is "${first.slice(0, 100)}", not a changelog entry like "hello (1.0-1) unstable; urgency=medium": fix debian/changelog (dch --create writes one)`
    );
  }
  const [, source = "", version = "", distribution = ""] = match;
  return { ...checkNameVersion(source, version, file), distribution: distribution.trim() };
}
function checkNameVersion(source, version, file) {
  if (!SOURCE_NAME.test(source)) {
    throw new SourceError(
      `${file} names the source package "${source}", which is not a Debian package name (lower-case letters, digits, "+", "-", "."): fix the name`
    );
  }
  const parsed = parseDebianVersion(version);
  if (!parsed) {
    throw new SourceError(
      `${file} gives the version "${version}", which is not a Debian version ([epoch:]upstream[-revision], starting with a digit): fix the version`
    );
  }
  return { source, version, parsed };
}
var MAX_DSC_FILES = 32;
function parseDsc(text, file) {
  const [stanza] = parseDeb822(stripClearsign(text));
  const source = field(stanza, "Source");
  const version = field(stanza, "Version");
  if (source === void 0 || version === void 0) {
    throw new SourceError(
      `${file} has no ${source === void 0 ? "Source" : "Version"} field: is it a Debian source control file (.dsc)? check source.dsc`
    );
  }
  const checked = checkNameVersion(source, version, file);
  const sums = field(stanza, "Checksums-Sha256");
  if (sums === void 0) {
    throw new SourceError(
      `${file} has no Checksums-Sha256 field, so its files cannot be checked: rebuild the source package with a dpkg-source from the last ten years`
    );
  }
  const files = sums.split("\n").map((l) => l.trim()).filter((l) => l !== "").map((line) => {
    const [sha256 = "", size = "", name = "", ...rest] = line.split(/\s+/);
    if (!/^[0-9a-f]{64}$/i.test(sha256) || !/^\d+$/.test(size) || rest.length > 0) {
      throw new SourceError(
        `${file}: the Checksums-Sha256 line "${line.slice(0, 120)}" is not "SHA256 SIZE NAME": fix the .dsc`
      );
    }
    if (!DSC_FILE_NAME.test(name) || name.includes("..")) {
      throw new SourceError(
        `${file} lists the file "${name.slice(0, 120)}", which is not a plain file name: a .dsc may only name files beside it; refusing it`
      );
    }
    return { name, size: Number(size), sha256: sha256.toLowerCase() };
  });
  if (files.length === 0 || files.length > MAX_DSC_FILES) {
    throw new SourceError(
      `${file} lists ${files.length} files in Checksums-Sha256; a source package has between 1 and ${MAX_DSC_FILES}: check the .dsc`
    );
  }
  if (new Set(files.map((f) => f.name)).size !== files.length) {
    throw new SourceError(`${file} lists the same file twice in Checksums-Sha256: fix the .dsc`);
  }
  return { ...checked, format: field(stanza, "Format") ?? "1.0", files };
}
function archListMatches(list, arch2) {
  return list.split(/\s+/).some((word) => archWordMatches(word, arch2));
}
function cpuOf(arch2) {
  if (arch2 === "armhf" || arch2 === "armel") return "arm";
  return arch2;
}
function archWordMatches(word, arch2) {
  if (word === arch2 || word === "any" || word === "linux-any" || word === "any-any") return true;
  if (word === `linux-${arch2}`) return true;
  if (word.startsWith("any-")) return word.slice(4) === cpuOf(arch2);
  return false;
}

// src/sources/fetch-dsc.ts
import { readFile } from "node:fs/promises";

// src/sources/fetch-srpm.ts
import { join as join8 } from "node:path";

// src/sources/download.ts
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream as createWriteStream3 } from "node:fs";
import { mkdir as mkdir4, rename, rm as rm3 } from "node:fs/promises";
import { basename, dirname as dirname3, join as join7 } from "node:path";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep2 } from "node:timers/promises";

// src/cli/version.ts
import { readFileSync as readFileSync4 } from "node:fs";
function packageVersion() {
  for (const rel of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync4(new URL(rel, import.meta.url), "utf8"));
      if (pkg.name === "albs-ci" && pkg.version) return pkg.version;
    } catch {
    }
  }
  return "0.0.0";
}

// src/sources/get-raw.ts
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
function getRaw(url, options = {}) {
  const get = url.protocol === "https:" ? httpsGet : httpGet;
  const { signal, userAgent, idleTimeout } = options;
  const headers = { "accept-encoding": "identity" };
  if (userAgent) headers["user-agent"] = userAgent;
  return new Promise((resolve12, reject) => {
    const request = get(url, { headers, ...signal ? { signal } : {} }, resolve12).on("error", reject);
    if (idleTimeout)
      request.setTimeout(
        idleTimeout,
        () => request.destroy(new Error(`nothing arrived for ${idleTimeout / 1e3} s`))
      );
  });
}
function connectionFailure(error) {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== "") return error.message;
  if (error instanceof AggregateError && error.errors.length > 0)
    return error.errors.map(connectionFailure).join("; ");
  return error.code ?? error.name;
}

// src/sources/download.ts
var MAX_REDIRECTS = 5;
var REDIRECTS = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
var TransientError = class extends SrpmDownloadError {
  name = "TransientError";
};
async function download(options) {
  const { signal, log = () => {
  } } = options;
  const retries = options.retries ?? 0;
  let delay = options.retryDelay ?? 1e3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await downloadOnce(options);
    } catch (error) {
      if (!(error instanceof TransientError) || attempt >= retries || signal?.aborted) throw error;
      log(
        `${error.message.replace(/;.*$/, "")}; trying again in ${delay / 1e3} s (${attempt + 1} of ${retries})`
      );
      await sleep2(delay, void 0, signal ? { signal } : {});
      delay *= 2;
    }
  }
}
async function downloadOnce(options) {
  const { signal, log = () => {
  }, labels, maxBytes, digest } = options;
  const idle = options.idleTimeout ?? 6e4;
  const first = checkedUrl(options.url, options.url, labels);
  let url = first;
  let response;
  for (let redirects = 0; ; redirects++) {
    log(`downloading ${url.href}`);
    try {
      response = await getRaw(url, { signal, userAgent: `albs-ci/${packageVersion()}`, idleTimeout: idle });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new TransientError(
        `could not download the ${labels.what} ${url.href}: ${connectionFailure(error)}; check ${labels.setting} and that the server is reachable from this runner`,
        { cause: error }
      );
    }
    if (!REDIRECTS.has(response.statusCode ?? 0)) break;
    response.destroy();
    const location = response.headers.location;
    if (!location) {
      throw new SrpmDownloadError(
        `${url.href} answered ${response.statusCode} (a redirect) without a Location: fix the server or ${labels.setting}`
      );
    }
    if (redirects + 1 > MAX_REDIRECTS) {
      throw new SrpmUrlError(
        `${options.url} redirects more than ${MAX_REDIRECTS} times (a loop?), last to ${location}: put the final link in ${labels.setting}`
      );
    }
    url = checkedUrl(new URL(location, url).href, options.url, labels);
    log(`redirected to ${url.href}`);
  }
  const status2 = response.statusCode ?? 0;
  if (status2 < 200 || status2 > 299) {
    response.destroy();
    const Failure = status2 >= 500 || status2 === 408 || status2 === 429 ? TransientError : SrpmDownloadError;
    throw new Failure(
      `could not download the ${labels.what} ${url.href}: HTTP ${status2} ${response.statusMessage ?? ""}; check ${labels.setting}`
    );
  }
  const declared = Number(response.headers["content-length"] ?? Number.NaN);
  if (declared > maxBytes) {
    response.destroy();
    throw tooLarge(labels, url.href, `${declared} bytes (Content-Length)`, maxBytes);
  }
  const encoding = response.headers["content-encoding"];
  if (encoding !== void 0 && encoding !== "identity") {
    log(`the server labels it Content-Encoding: ${encoding}; it is kept and checked as served, not decoded`);
  }
  const dir = dirname3(options.path);
  await mkdir4(dir, { recursive: true });
  const temp = join7(dir, `.${basename(options.path)}.${randomUUID()}.part`);
  const hash = createHash(digest.type);
  let bytes = 0;
  try {
    await pipeline(
      response,
      async function* count2(source) {
        for await (const chunk of source) {
          bytes += chunk.length;
          if (bytes > maxBytes) throw tooLarge(labels, url.href, `more than ${maxBytes} bytes`, maxBytes);
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream3(temp, { flags: "wx", mode: 420 }),
      { signal }
    );
    const actual = hash.digest("hex");
    if (actual !== digest.hex)
      throw new DigestMismatchError(url.href, digest.type, digest.hex, actual, labels);
    await rename(temp, options.path);
    log(
      `downloaded ${options.name ?? basename(options.path)}: ${bytes} bytes, ${hashName(digest.type)} ${actual} as expected`
    );
    return { path: options.path, bytes, finalUrl: url.href };
  } catch (error) {
    await rm3(temp, { force: true });
    if (error instanceof DigestMismatchError || error instanceof SrpmTooLargeError || signal?.aborted)
      throw error;
    throw new TransientError(
      `could not download the ${labels.what} ${url.href}: ${error instanceof Error ? error.message : String(error)}; try again, or check the server`,
      { cause: error }
    );
  }
}
function checkedUrl(href, original, labels) {
  let url;
  try {
    url = new URL(href);
  } catch (error) {
    throw new SrpmUrlError(`${labels.setting} "${href}" is not a URL: write a full http(s):// link`, {
      cause: error
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    const what = href === original ? `${labels.setting} "${href}"` : `${original} redirects to "${href}", which`;
    throw new SrpmUrlError(
      `${what} is a ${url.protocol.replace(/:$/, "")} link: only http and https are fetched; use an http(s) link`
    );
  }
  return url;
}
function tooLarge(labels, url, size, maxBytes) {
  return new SrpmTooLargeError(
    `the ${labels.what} at ${url} is ${size}, over the ${maxBytes}-byte cap: nothing was kept; raise ${labels.cap ?? "the runner's download size cap"} if the file is right`
  );
}

// src/sources/fetch-srpm.ts
var DEFAULT_MAX_SRPM_BYTES = 512 * 1024 * 1024;
var SRPM_LABELS = {
  what: "src.rpm",
  setting: "source.srpm",
  expectedFrom: "source.sha256 in .albs.yml"
};
async function fetchSrpm(options) {
  const labels = options.labels ?? SRPM_LABELS;
  const expected = options.sha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new SrpmUrlError(
      `${labels.expectedFrom.replace(/ in .*/, "")} "${options.sha256}" is not a SHA-256 (64 hex digits): put the output of \`sha256sum FILE\` there`
    );
  }
  let name = options.fileName;
  if (name === void 0) {
    let url;
    try {
      url = new URL(options.url);
    } catch (error) {
      throw new SrpmUrlError(
        `${labels.setting} "${options.url}" is not a URL: write a full http(s):// link`,
        {
          cause: error
        }
      );
    }
    name = srpmFileName(url);
  }
  const got = await download({
    url: options.url,
    digest: { type: "sha256", hex: expected },
    path: join8(options.destDir, name),
    maxBytes: options.maxBytes ?? DEFAULT_MAX_SRPM_BYTES,
    labels,
    signal: options.signal,
    log: options.log,
    retries: options.retries ?? 2,
    retryDelay: options.retryDelay
  });
  return { path: got.path, bytes: got.bytes, sha256: expected, finalUrl: got.finalUrl };
}
function srpmFileName(url) {
  const segment = url.pathname.split("/").pop() ?? "";
  let decoded;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    decoded = segment;
  }
  const base = decoded.split(/[/\\]/).pop() ?? "";
  const safe = base.replace(/[^A-Za-z0-9._+~-]/g, "_").replace(/^[.]+/, "").slice(0, 200);
  if (safe === "") return "download.src.rpm";
  return safe.endsWith(".rpm") ? safe : `${safe}.src.rpm`;
}

// src/sources/fetch-dsc.ts
var DEFAULT_MAX_SOURCE_BYTES = 1024 * 1024 * 1024;
var MAX_DSC_BYTES = 1024 * 1024;
async function fetchDsc(options) {
  const { url, destDir, signal, log } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SOURCE_BYTES;
  const urlName = srpmFileName(new URL(url)).replace(/\.src\.rpm$/, "");
  const dscName = urlName.endsWith(".dsc") && DSC_FILE_NAME.test(urlName) ? urlName : "source.dsc";
  const fetched = await fetchSrpm({
    url,
    sha256: options.sha256,
    destDir,
    maxBytes: MAX_DSC_BYTES,
    fileName: dscName,
    labels: { what: ".dsc", setting: "source.dsc", expectedFrom: "source.sha256 in .albs.yml" },
    ...signal ? { signal } : {},
    ...log ? { log } : {}
  });
  const parsed = parseDsc(await readFile(fetched.path, "utf8"), dscName);
  const total = parsed.files.reduce((sum, f) => sum + f.size, 0);
  if (total > maxBytes) {
    throw new SrpmTooLargeError(
      `${dscName} lists ${total} bytes of files, over the ${maxBytes}-byte cap: nothing more was downloaded; raise the runner's source size cap if the package is right`
    );
  }
  const files = [];
  for (const file of parsed.files) {
    if (file.name === dscName) {
      throw new SourceError(`${dscName} lists itself in Checksums-Sha256: fix the .dsc`);
    }
    const fileUrl = new URL(encodeURIComponent(file.name), fetched.finalUrl).href;
    const got = await fetchSrpm({
      url: fileUrl,
      sha256: file.sha256,
      destDir,
      // The .dsc says how big the file is: a server sending more is refused while it sends.
      maxBytes: file.size,
      fileName: file.name,
      labels: { what: file.name, setting: "source.dsc", expectedFrom: `the Checksums-Sha256 of ${dscName}` },
      ...signal ? { signal } : {},
      ...log ? { log } : {}
    });
    if (got.bytes !== file.size) {
      throw new SourceError(
        `${file.name} from ${fileUrl} has ${got.bytes} bytes but ${dscName} says ${file.size}: the server's files do not match the .dsc; fix the server or the link`
      );
    }
    files.push(got.path);
  }
  return { dsc: fetched.path, parsed, files };
}

// src/sources/inside-dir.ts
import { isAbsolute as isAbsolute2, relative as relative2, resolve as resolve4, sep as sep4 } from "node:path";
function insideDir(dir, path6) {
  const rel = relative2(resolve4(dir), resolve4(path6));
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep4}`) && !isAbsolute2(rel);
}

// runner/run-shell.ts
async function runShell(context, command, options) {
  const result = await runProcess("bash", ["-e", "-o", "pipefail", "-c", command], {
    cwd: options.cwd,
    env: options.env,
    network: options.network,
    log: context.log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout: options.timeoutMs
  });
  return result.exitCode === 0 ? void 0 : describeExit("the command", result, options.timeoutMs);
}

// runner/steps/sbuild.ts
import { lchown as lchown2, readdir as readdir4, readFile as readFile2, stat } from "node:fs/promises";
import { userInfo } from "node:os";
import { dirname as dirname4, join as join9 } from "node:path";
var SBUILD_USER_DEFAULT = "albs-build";
async function sbuildDist(dist, tree) {
  if (dist !== null) return { dist };
  const file = join9(tree, "debian", "changelog");
  const head = parseChangelogHead(await readFile2(file, "utf8"), "debian/changelog");
  if (!/^[a-z][a-z0-9.+-]*$/.test(head.distribution)) {
    return {
      failure: `build.dpkg.sbuild: debian/changelog names the distribution "${head.distribution}", for which there is no chroot: set build.dpkg.dist (e.g. dist: bookworm)`
    };
  }
  return { dist: head.distribution };
}
async function sbuildUser(runnerEnv = process.env) {
  const me = userInfo();
  if (me.uid !== 0) {
    const cache = runnerEnv.XDG_CACHE_HOME || join9(me.homedir, ".cache");
    return { name: me.username, uid: me.uid, gid: me.gid, cacheDir: cache, self: true };
  }
  const name = runnerEnv.ALBS_SBUILD_USER || SBUILD_USER_DEFAULT;
  const entry = await passwdEntry(name);
  if (entry === void 0) {
    return {
      failure: `build.dpkg.sbuild: albs runs as root, where sbuild's unshare mode cannot build, so it runs sbuild as the user ${name}${runnerEnv.ALBS_SBUILD_USER ? " (ALBS_SBUILD_USER)" : ""}, which does not exist: scripts/setup --with-optional creates it with its chroot, or set ALBS_SBUILD_USER to an unprivileged user with a /etc/subuid range and a chroot in ~/.cache/sbuild`
    };
  }
  const { uid, gid, home } = entry;
  return { name, uid, gid, cacheDir: join9(home, ".cache"), self: uid === 0 };
}
async function passwdEntry(name) {
  const result = await execa("getent", ["passwd", name], {
    extendEnv: false,
    env: { PATH: "/usr/bin:/bin" },
    stdin: "ignore",
    reject: false,
    timeout: 3e4
  });
  const [, , uid, gid, , home] = result.exitCode === 0 ? result.stdout.split("\n")[0].split(":") : [];
  if (uid === void 0 || gid === void 0 || home === void 0) return void 0;
  return { uid: Number(uid), gid: Number(gid), home };
}
async function handOverWorkspace(user, workspace) {
  if (user.self) return void 0;
  await chownTree2(workspace, user.uid, user.gid);
  for (let dir = dirname4(workspace); ; dir = dirname4(dir)) {
    const s = await stat(dir);
    const bits = s.uid === user.uid ? 64 : s.gid === user.gid ? 8 : 1;
    if ((s.mode & bits) === 0) {
      return `build.dpkg.sbuild: sbuild runs as ${user.name} (albs runs as root), which cannot enter ${dir} (mode ${(s.mode & 4095).toString(8).padStart(4, "0")}, owner uid ${s.uid}) on the way to the workspace ${workspace}: put the runner's output directory (--out) where ${user.name} can reach it, or open ${dir} to it (chmod o+x ${dir})`;
    }
    if (dir === dirname4(dir)) return void 0;
  }
}
async function chownTree2(dir, uid, gid) {
  await lchown2(dir, uid, gid);
  const entries = await readdir4(dir, { withFileTypes: true });
  for (const e of entries) {
    const path6 = join9(dir, e.name);
    if (e.isDirectory()) await chownTree2(path6, uid, gid);
    else await lchown2(path6, uid, gid);
  }
}
function sbuildCommand(user, args) {
  if (user.self) return { file: "sbuild", args };
  return {
    file: "setpriv",
    args: [`--reuid=${user.uid}`, `--regid=${user.gid}`, "--init-groups", "--", "sbuild", ...args]
  };
}
async function missingChrootHint(user, dist, arch2) {
  const dir = join9(user.cacheDir, "sbuild");
  const names = await readdir4(dir).catch(() => []);
  if (names.some((n2) => n2.startsWith(`${dist}.t`) || n2.startsWith(`${dist}-`))) return void 0;
  return `${user.name} has no sbuild chroot for ${dist} in ${dir}: scripts/setup --with-optional makes one for this system's distribution, or make it with mmdebstrap --variant=buildd ${dist} ${dir}/${dist}-${arch2}.tar (as ${user.name})`;
}

// runner/steps/source.ts
import { constants as constants5, existsSync as existsSync2 } from "node:fs";
import { copyFile, mkdir as mkdir5, readdir as readdir7, rm as rm4, symlink as symlink2 } from "node:fs/promises";
import { basename as basename4, dirname as dirname6, isAbsolute as isAbsolute4, join as join13, relative as relative4, resolve as resolve6 } from "node:path";

// src/sources/fetch-lookaside.ts
import { createHash as createHash2 } from "node:crypto";
import { createReadStream as createReadStream2 } from "node:fs";
import { lstat as lstat3 } from "node:fs/promises";
import { basename as basename3, dirname as dirname5, join as join12 } from "node:path";
import { pipeline as pipeline2 } from "node:stream/promises";

// src/sources/find-spec.ts
import { readdir as readdir5, stat as stat2 } from "node:fs/promises";
import { isAbsolute as isAbsolute3, join as join10, resolve as resolve5 } from "node:path";
async function findSpec(dir, spec) {
  const root = resolve5(dir);
  if (spec !== void 0) {
    const path6 = resolve5(root, spec);
    if (isAbsolute3(spec) || !insideDir(root, path6)) {
      throw new SpecNotFoundError(
        `source.spec "${spec}" is outside the package source ${root}: name a spec file inside it, relative to it`
      );
    }
    const found = await stat2(path6).catch(() => void 0);
    if (!found?.isFile()) {
      const candidates2 = await candidateSpecs(root);
      throw new SpecNotFoundError(
        `source.spec "${spec}" does not exist in ${root}` + (candidates2.length > 0 ? `; specs found there: ${candidates2.join(", ")}` : "; no *.spec is there (at the top or in SPECS/)") + ": fix source.spec in .albs.yml"
      );
    }
    return path6;
  }
  const candidates = await candidateSpecs(root);
  if (candidates.length === 1) return join10(root, candidates[0]);
  if (candidates.length === 0) {
    const top = await readdir5(root).catch(() => void 0);
    if (top === void 0)
      throw new SpecNotFoundError(`the package source ${root} does not exist: check source.dir in .albs.yml`);
    throw new SpecNotFoundError(
      `no *.spec found at the top of ${root} or in its SPECS/ (found: ${top.length > 0 ? top.sort().join(", ") : "nothing"}): add the spec, or set source.spec (or source.srpm) in .albs.yml`
    );
  }
  throw new SpecNotFoundError(
    `${candidates.length} specs found in ${root}: ${candidates.join(", ")}; set source.spec in .albs.yml to the one to build`
  );
}
async function candidateSpecs(root) {
  const found = [];
  for (const sub of ["", "SPECS"]) {
    const entries = await readdir5(join10(root, sub), { withFileTypes: true }).catch(() => []);
    for (const e of entries)
      if (e.name.endsWith(".spec") && (e.isFile() || e.isSymbolicLink()))
        found.push(sub ? `${sub}/${e.name}` : e.name);
  }
  return found.sort();
}

// src/sources/lookaside.ts
import { lstat as lstat2, readdir as readdir6, readFile as readFile3 } from "node:fs/promises";
import { basename as basename2, join as join11, relative as relative3, sep as sep5 } from "node:path";
var MAX_LIST_BYTES = 1024 * 1024;
var MAX_ENTRIES = 1e3;
var BY_LENGTH = {
  32: "md5",
  40: "sha1",
  56: "sha224",
  64: "sha256",
  96: "sha384",
  128: "sha512"
};
function parseLookasideList(text, file) {
  const entries = [];
  const seen = /* @__PURE__ */ new Map();
  const lines = text.split("\n");
  for (const [i2, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, "");
    const at = `${file}:${i2 + 1}`;
    if (line.trim() === "") continue;
    let entry;
    const named = /^([A-Za-z0-9]+) \((.+)\) = ([0-9A-Fa-f]+)$/.exec(line);
    const plain = /^([0-9A-Fa-f]+)[ \t]+(.+)$/.exec(line);
    if (named) {
      const [, type = "", path6 = "", hex = ""] = named;
      const hashType = type.toLowerCase();
      if (BY_LENGTH[hex.length] !== hashType) {
        throw new SourceError(
          BY_LENGTH[hex.length] === void 0 && !Object.values(BY_LENGTH).includes(hashType) ? `${at}: the hash type ${type} is not one albs can check (MD5, SHA1, SHA224, SHA256, SHA384, SHA512): fix the line` : `${at}: a ${type} digest has ${hexLength(hashType)} hex digits, this one ${hex.length}: fix the line`
        );
      }
      entry = { path: path6, hashType, hash: hex.toLowerCase(), line: i2 + 1 };
    } else if (plain) {
      const [, hex = "", path6 = ""] = plain;
      const hashType = BY_LENGTH[hex.length];
      if (hashType === void 0) {
        throw new SourceError(
          `${at}: "${hex}" is ${hex.length} hex digits, which is no digest albs knows (40: SHA-1, 64: SHA-256, 128: SHA-512, 32: MD5): fix the line`
        );
      }
      entry = { path: path6.trim(), hashType, hash: hex.toLowerCase(), line: i2 + 1 };
    } else {
      throw new SourceError(
        `${at}: "${printable(line)}" is not a line of a lookaside list: write "HEX PATH" (.NAME.metadata) or "SHA512 (FILE) = HEX" (sources)`
      );
    }
    const problem = pathProblem(entry.path);
    if (problem) throw new SourceError(`${at}: the path "${printable(entry.path)}" ${problem}: fix the line`);
    const earlier = seen.get(entry.path);
    if (earlier !== void 0) {
      throw new SourceError(`${at}: ${entry.path} is listed again (first on line ${earlier}): keep one line`);
    }
    seen.set(entry.path, entry.line);
    entries.push(entry);
    if (entries.length > MAX_ENTRIES) {
      throw new SourceError(`${file} lists more than ${MAX_ENTRIES} files: that is no package's source list`);
    }
  }
  return entries;
}
function hexLength(type) {
  return Number(Object.entries(BY_LENGTH).find(([, t]) => t === type)?.[0] ?? 0);
}
function printable(text) {
  return JSON.stringify(text).slice(1, -1);
}
function pathProblem(path6) {
  if (path6 === "") return "is empty";
  if (new RegExp("\\p{Cc}", "u").test(path6)) return "holds a control character";
  if (path6.startsWith("/")) return "is absolute; list paths relative to the package source";
  const parts = path6.split("/");
  if (parts.some((p) => p === "..")) return 'goes up with ".."; list paths inside the package source';
  if (parts.some((p) => p === "" || p === ".")) return 'has an empty or "." segment';
  if (parts.some((p) => p === ".git")) return "writes into .git";
  if (path6.length > 4096) return "is longer than 4096 characters";
  return void 0;
}
async function findLookasideList(base, spec, metadata) {
  const specName = basename2(spec).replace(/\.spec$/, "");
  let file = metadata;
  if (file === void 0) {
    const top = await readdir6(base).catch(() => []);
    const dotted2 = top.filter((f) => /^\..+\.metadata$/.test(f)).sort();
    if (top.includes(`.${specName}.metadata`)) file = `.${specName}.metadata`;
    else if (dotted2.length === 1) file = dotted2[0];
    else if (dotted2.length > 1) {
      throw new SourceError(
        `${base} has ${dotted2.length} lookaside lists (${dotted2.join(", ")}) and none is .${specName}.metadata: set source.lookaside.metadata to the one to use`
      );
    } else if (top.includes("sources")) file = "sources";
    else return void 0;
  }
  if (file === void 0) return void 0;
  const path6 = join11(base, file);
  if (!insideDir(base, path6)) {
    throw new SourceError(
      `source.lookaside.metadata "${file}" is outside the package source ${base}: name a file inside it`
    );
  }
  await refuseSymlinks(base, path6, "source.lookaside.metadata");
  const kind = await lstat2(path6).catch(() => void 0);
  if (!kind?.isFile()) {
    throw new SourceError(
      `source.lookaside.metadata "${file}" is not a file in ${base}: fix the path, or leave it out to find .${specName}.metadata or sources`
    );
  }
  if (kind.size > MAX_LIST_BYTES) {
    throw new SourceError(`${file} is ${kind.size} bytes; a lookaside list is a few lines: check the file`);
  }
  const text = await readFile3(path6, "utf8");
  const dotted = /^\.(.+)\.metadata$/.exec(basename2(file));
  return {
    file: relative3(base, path6),
    name: dotted?.[1] ?? specName,
    entries: parseLookasideList(text, relative3(base, path6)),
    defaultUrl: basename2(file).endsWith(".metadata") ? ALMALINUX_LOOKASIDE : FEDORA_LOOKASIDE
  };
}
function listedPath(entry, sourceDir) {
  return entry.path.includes("/") || sourceDir === "" ? entry.path : `${sourceDir}/${entry.path}`;
}
async function refuseSymlinks(root, path6, what) {
  const parts = relative3(root, path6).split(sep5);
  let at = root;
  for (const part of parts) {
    at = join11(at, part);
    const kind = await lstat2(at).catch(() => void 0);
    if (kind === void 0) return;
    if (kind.isSymbolicLink()) {
      throw new SourceError(
        `${what} ${relative3(root, path6)} goes through the symlink ${relative3(root, at)} in ${root}: albs does not follow links out of a package source; make it a plain file or directory`
      );
    }
  }
}

// src/sources/fetch-lookaside.ts
var inFlight = /* @__PURE__ */ new Map();
async function fetchLookaside(options) {
  const { list, base, log = () => {
  } } = options;
  const files = [];
  for (const entry of list.entries) {
    const path6 = listedPath(entry, options.sourceDir);
    const own = join12(base, path6);
    await refuseSymlinks(base, own, `${list.file}:${entry.line} lists`);
    const hidden2 = (options.hidden ?? []).some((h2) => own === h2 || insideDir(h2, own));
    const kind = hidden2 ? void 0 : await lstat3(own).catch(() => void 0);
    if (kind?.isFile()) {
      if (await hashFile(own, entry.hashType) === entry.hash) {
        log(`${path6}: in the repository with the listed ${entry.hashType} digest; not fetched`);
        files.push({ entry, path: path6, blob: own, inRepository: true });
        continue;
      }
      log(
        `${path6}: the repository's copy is not the one ${list.file} lists: the listed file is fetched and used`
      );
    }
    const blob = join12(options.cache, entry.hashType, entry.hash);
    const fetchBlob = options.fetchBlob;
    await cached(blob, async () => {
      if (fetchBlob) return fetchBlob(entry, blob);
      const url = lookasideUrl(options.url, list.name, entry);
      await download({
        url,
        digest: { type: entry.hashType, hex: entry.hash },
        path: blob,
        name: path6,
        maxBytes: options.maxBytes,
        labels: {
          what: path6,
          setting: `the lookaside URL (source.lookaside.url) for ${list.file}:${entry.line}`,
          expectedFrom: `${list.file}:${entry.line}`,
          cap: "source.lookaside.max-size in .albs.yml"
        },
        signal: options.signal,
        log,
        retries: options.retries ?? 2,
        retryDelay: options.retryDelay
      });
    });
    files.push({ entry, path: path6, blob, inRepository: false });
  }
  return files;
}
async function cached(blob, fetch) {
  for (; ; ) {
    const running2 = inFlight.get(blob);
    if (running2) {
      await running2.catch(() => {
      });
      continue;
    }
    const started = (async () => {
      if ((await lstat3(blob).catch(() => void 0))?.isFile()) return;
      await fetch();
    })().finally(() => inFlight.delete(blob));
    inFlight.set(blob, started);
    return started;
  }
}
async function hashFile(path6, type) {
  const hash = createHash2(type);
  await pipeline2(createReadStream2(path6), hash);
  return hash.digest("hex");
}

// runner/steps/source.ts
async function sourceSrpm(context, job, env) {
  try {
    if (job.source.srpm !== void 0) return await downloadSrpm(context, job);
    return await buildSrpm(context, job, env);
  } catch (error) {
    if (error instanceof SourceError || error instanceof ProcessStartError) return { failure: error.message };
    throw error;
  }
}
async function downloadSrpm(context, job) {
  const { srpm: url, sha256 } = job.source;
  if (url === void 0) throw new Error("downloadSrpm needs source.srpm");
  if (sha256 === void 0) {
    return {
      failure: `source.srpm ${url} has no source.sha256: add the file's SHA-256 (sha256sum FILE) to .albs.yml, since an unchecked download is never built`
    };
  }
  const fetched = await fetchSrpm({
    url,
    sha256,
    destDir: join13(context.workspace, "srpm"),
    signal: context.signal,
    log: (line) => context.log.info(line)
  });
  return { srpm: fetched.path };
}
async function buildSrpm(context, job, env) {
  const base = packageSourceDir(context.repoDir, job.source.dir);
  const spec = await findSpec(base, job.source.spec);
  const distGit = basename4(dirname6(spec)) === "SPECS" && (existsSync2(join13(base, "SOURCES")) || job.source.lookaside !== void 0);
  let sourceDir = distGit ? join13(base, "SOURCES") : base;
  if (job.source.lookaside !== void 0) {
    sourceDir = await withLookaside(context, job.source.lookaside, base, spec, distGit ? "SOURCES" : "");
  } else {
    await hintAtLookaside(context, base, spec);
  }
  const topdir = join13(context.workspace, "rpmbuild");
  context.log.info(
    `making the src.rpm from ${relative4(context.repoDir, spec) || spec} (sources from ${sourceDir})`
  );
  const timeout = job.timeout * 1e3;
  const result = await runProcess(
    "rpmbuild",
    ["-bs", ...rpmDefine("_topdir", topdir), ...rpmDefine("_sourcedir", sourceDir), ...macroArgs(job), spec],
    {
      cwd: context.workspace,
      env,
      log: context.log,
      signal: context.signal,
      sandbox: context.sandbox,
      timeout
    }
  );
  if (result.exitCode !== 0) {
    return {
      failure: `making the src.rpm failed: ${describeExit("rpmbuild -bs", result, timeout)} (the log has its output)`
    };
  }
  const srpmDir = join13(topdir, "SRPMS");
  const made = (await readdir7(srpmDir).catch(() => [])).filter((f) => f.endsWith(".src.rpm"));
  if (made.length !== 1 || made[0] === void 0) {
    return {
      failure: `rpmbuild -bs succeeded but left ${made.length === 0 ? "no src.rpm" : `${made.length} src.rpms (${made.join(", ")})`} in ${srpmDir}: check the spec`
    };
  }
  return { srpm: join13(srpmDir, made[0]) };
}
async function withLookaside(context, config, base, spec, sourceRel) {
  if (base !== context.repoDir) await refuseSymlinks(context.repoDir, base, "source.dir");
  const list = await findLookasideList(base, spec, config.metadata);
  if (list === void 0) {
    throw new SourceError(
      `source.lookaside is set but ${base} has no lookaside list (.${basename4(spec, ".spec")}.metadata, another .*.metadata, or sources): add it, name it with source.lookaside.metadata, or remove source.lookaside`
    );
  }
  const url = config.url ?? list.defaultUrl;
  context.log.info(
    `fetching the ${list.entries.length} files ${list.file} lists, ${context.lookaside ? `through the albs server, which fetches them from ${url}` : `from ${url}`}`
  );
  const files = await fetchLookaside({
    list,
    url,
    base,
    hidden: context.sandbox?.policy.hidden,
    sourceDir: sourceRel,
    cache: join13(context.cache, "lookaside"),
    maxBytes: config.maxSize,
    fetchBlob: context.lookaside,
    signal: context.signal,
    log: (line) => context.log.info(line)
  });
  const merged = join13(context.workspace, "sources");
  await mkdir5(merged, { recursive: true });
  const repoSources = join13(base, sourceRel);
  for (const name of await readdir7(repoSources).catch(() => [])) {
    await symlink2(join13(repoSources, name), join13(merged, name));
  }
  const names = /* @__PURE__ */ new Map();
  for (const file of files) {
    const name = basename4(file.path);
    const other = names.get(name);
    if (other !== void 0) {
      throw new SourceError(
        `${list.file} lists ${other} and ${file.path}, and rpmbuild finds sources by file name only: keep one of them`
      );
    }
    names.set(name, file.path);
    if (file.inRepository && join13(base, sourceRel, name) === file.blob) continue;
    await rm4(join13(merged, name), { force: true });
    await copyFile(file.blob, join13(merged, name), constants5.COPYFILE_EXCL | constants5.COPYFILE_FICLONE);
  }
  return merged;
}
async function hintAtLookaside(context, base, spec) {
  const list = await findLookasideList(base, spec).catch(() => void 0);
  if (list === void 0) return;
  context.log.info(
    `${list.file} lists ${list.entries.length} lookaside files, which are not fetched: source.lookaside is not set in .albs.yml (add "lookaside: {}" under source)`
  );
}
function macroArgs(job) {
  return Object.entries(job.macros ?? {}).flatMap(([name, value]) => ["--define", `${name} ${value}`]);
}
function packageSourceDir(repoDir, dir) {
  const root = resolve6(repoDir);
  if (dir === void 0 || dir === "" || dir === ".") return root;
  const path6 = resolve6(root, dir);
  if (isAbsolute4(dir) || path6 !== root && !insideDir(root, path6)) {
    throw new SpecNotFoundError(
      `source.dir "${dir}" is outside the package repository ${root}: name a directory inside it, relative to its top`
    );
  }
  return path6;
}

// runner/steps/build-deb.ts
var SBUILD_MISSING = "build.dpkg.sbuild is true but sbuild is not installed on this runner: scripts/setup --with-optional installs it and makes its chroot, or remove build.dpkg.sbuild to build with dpkg-buildpackage on the runner";
var ORIG_EXTENSIONS = ["gz", "xz", "bz2", "lzma"];
var ORIG_TARBALL = /\.orig(?:-[A-Za-z0-9][A-Za-z0-9-]*)?\.tar\.(?:gz|xz|bz2|lzma)$/;
var DEBIAN_RESULT = /\.(?:deb|udeb|ddeb|dsc|changes|buildinfo|diff\.gz)$|\.tar\.(?:gz|xz|bz2|lzma)$/;
async function dpkgBuild(context, job) {
  const dpkg = job.dpkg ?? { sbuild: false, dist: null, options: [] };
  const env = cleanEnv(context.workspace, job.env);
  if (dpkg.sbuild && !onPath("sbuild", env.PATH ?? "")) return { state: "failure", reason: SBUILD_MISSING };
  const buildDir = join14(context.workspace, "build");
  const sbuildDir = join14(context.workspace, "sbuild");
  await mkdir6(buildDir, { recursive: true });
  try {
    const source = job.source.dsc !== void 0 ? await unpackDsc(context, job, buildDir, env) : await prepareDebianDir(context, job, buildDir, env);
    const plan = await archPlan(context, source, dpkg.sbuild);
    if ("excluded" in plan) {
      context.log.info(`not building: ${plan.excluded}`);
      return { state: "excluded", reason: plan.excluded };
    }
    if ("failure" in plan) return { state: "failure", reason: plan.failure };
    const timeout = job.timeout * 1e3;
    const run = (file, args, cwd) => runProcess(file, args, {
      cwd,
      env,
      log: context.log,
      signal: context.signal,
      sandbox: context.sandbox,
      network: job.network,
      timeout
    });
    if (dpkg.sbuild) {
      const target = await sbuildDist(dpkg.dist, source.tree);
      if ("failure" in target) return { state: "failure", reason: target.failure };
      const user = await sbuildUser();
      if ("failure" in user) return { state: "failure", reason: user.failure };
      const dsc = source.dsc ?? await buildSourcePackage(context, source, buildDir, env);
      await mkdir6(sbuildDir, { recursive: true });
      const args = [
        "--chroot-mode=unshare",
        "--nolog",
        "--no-run-lintian",
        `--arch=${plan.arch}`,
        `--dist=${target.dist}`,
        "--arch-all",
        ...plan.indepOnly ? ["--no-arch-any"] : [],
        `--build-dir=${sbuildDir}`,
        ...dpkg.options,
        dsc
      ];
      const unreachable = await handOverWorkspace(user, context.workspace);
      if (unreachable !== void 0) return { state: "failure", reason: unreachable };
      context.log.info(
        `building ${basename5(dsc)} with sbuild in a chroot for ${target.dist}${user.self ? "" : ` as ${user.name} (albs runs as root, where sbuild's unshare mode cannot build)`}: sbuild installs the build dependencies there`
      );
      const command = sbuildCommand(user, args);
      const result2 = await runProcess(command.file, command.args, {
        cwd: buildDir,
        env: { ...env, XDG_CACHE_HOME: user.cacheDir },
        log: context.log,
        signal: context.signal,
        sandbox: null,
        timeout
      });
      if (result2.exitCode !== 0) {
        const chroot = dpkg.options.some((o2) => /^(?:--chroot|-c)/.test(o2)) ? void 0 : await missingChrootHint(user, target.dist, plan.arch);
        return {
          state: "failure",
          reason: `build failed: ${describeExit("sbuild", result2, timeout)} (the log has its output)${chroot ? `; ${chroot}` : ""}`
        };
      }
      return { state: "success" };
    }
    const missing = await checkBuildDeps(context, source.tree, env, plan.indepOnly, dpkg.options);
    if (missing) return { state: "failure", reason: missing };
    const build = source.dsc ? plan.indepOnly ? "all" : "binary" : plan.indepOnly ? "source,all" : "full";
    const result = await run(
      "dpkg-buildpackage",
      ["-us", "-uc", `--build=${build}`, ...dpkg.options],
      source.tree
    );
    if (result.exitCode !== 0) {
      return {
        state: "failure",
        reason: `build failed: ${describeExit("dpkg-buildpackage", result, timeout)} (the log has its output)`
      };
    }
    return { state: "success" };
  } catch (error) {
    if (error instanceof SourceError || error instanceof ProcessStartError)
      return { state: "failure", reason: error.message };
    throw error;
  } finally {
    await keepResults(context, [buildDir, sbuildDir]);
  }
}
async function keepResults(context, dirs) {
  const kept = [];
  for (const dir of dirs) {
    const entries = await readdir8(dir, { withFileTypes: true }).catch(() => []);
    const results = entries.filter((e) => e.isFile() && DEBIAN_RESULT.test(e.name)).map((e) => e.name);
    const listed = /* @__PURE__ */ new Map();
    for (const dsc of results.filter((name) => name.endsWith(".dsc"))) {
      for (const name of await dscFileNames(context, join14(dir, dsc))) listed.set(name, dsc);
    }
    for (const name of /* @__PURE__ */ new Set([...results, ...listed.keys()])) {
      const copied = await copyFile2(join14(dir, name), join14(context.artifacts, name)).then(
        () => true,
        (error) => {
          if (error.code !== "ENOENT" || results.includes(name)) throw error;
          context.log.info(`${listed.get(name)} lists ${name}, which is not in ${dir}: not kept`);
          return false;
        }
      );
      if (copied) kept.push(name);
    }
  }
  if (kept.length > 0) context.log.info(`kept ${kept.join(", ")}`);
}
async function dscFileNames(context, dsc) {
  try {
    return parseDsc(await readFile4(dsc, "utf8"), basename5(dsc)).files.map((f) => f.name);
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    context.log.info(`keeping ${basename5(dsc)} without the files it lists: ${error.message}`);
    return [];
  }
}
async function unpackDsc(context, job, buildDir, env) {
  const { dsc: url, sha256 } = job.source;
  if (url === void 0) throw new Error("unpackDsc needs source.dsc");
  if (sha256 === void 0) {
    throw new SourceError(
      `source.dsc ${url} has no source.sha256: add the .dsc's SHA-256 (sha256sum FILE) to .albs.yml, since an unchecked download is never built`
    );
  }
  const fetched = await fetchDsc({
    url,
    sha256,
    destDir: buildDir,
    signal: context.signal,
    log: (line) => context.log.info(line)
  });
  const { source, version, parsed } = fetched.parsed;
  const tree = join14(buildDir, `${source}-${parsed.upstream}`);
  await dpkgSource(
    context,
    ["-x", fetched.dsc, tree],
    buildDir,
    env,
    `unpack ${basename5(fetched.dsc)}`,
    "; check source.dsc"
  );
  return { tree, source, version, parsed, dsc: fetched.dsc };
}
async function prepareDebianDir(context, job, buildDir, env) {
  const root = resolve7(context.repoDir);
  const base = packageSourceDir(root, job.source.dir);
  const changelogPath = join14(base, "debian", "changelog");
  const changelog = await readFile4(changelogPath, "utf8").catch(() => void 0);
  const control = await readFile4(join14(base, "debian", "control"), "utf8").catch(() => void 0);
  if (changelog === void 0 || control === void 0) {
    throw new SourceError(
      `builder dpkg needs a debian/ directory with changelog and control at ${base}, and found ${changelog === void 0 ? "no debian/changelog" : "no debian/control"}: add the Debian packaging, set source.dir to where it is, or use source.dsc`
    );
  }
  const head = parseChangelogHead(changelog, relative5(root, changelogPath));
  const format2 = (await readFile4(join14(base, "debian", "source", "format"), "utf8").catch(() => "1.0")).trim();
  const tarball = job.source.tarball === void 0 ? void 0 : insideRepo(root, resolve7(base, job.source.tarball));
  const tree = join14(buildDir, `${head.source}-${head.parsed.upstream}`);
  context.log.info(
    `building ${head.source} ${head.version} (debian/source/format ${format2}) from ${relative5(root, base) || "the top of the repository"}`
  );
  await copyTree(base, tree, {
    leaveOut: [...await runnerOutputs(context), join14(base, ".albs"), ...tarball ? [tarball] : []],
    leaveOutAtTop: ORIG_TARBALL
  });
  await provideUpstreamTarball(context, job, { base, tree, buildDir, env, head, format: format2, tarball });
  return { tree, source: head.source, version: head.version, parsed: head.parsed };
}
function insideRepo(root, path6) {
  if (!insideDir(root, path6)) {
    throw new SourceError(
      `source.tarball resolves to ${path6}, outside the package repository ${root}: name a file inside it, relative to its top (or to source.dir)`
    );
  }
  return path6;
}
async function provideUpstreamTarball(context, job, at) {
  const { head, format: format2, buildDir } = at;
  const required = format2 === "3.0 (quilt)";
  const configured = job.source.tarball ?? job.source.tarballCommand;
  if (!required && format2 !== "1.0") {
    if (configured !== void 0) {
      context.log.info(
        `ignoring source.${job.source.tarball !== void 0 ? "tarball" : "tarball-command"}: debian/source/format ${format2} takes no upstream tarball`
      );
    }
    return;
  }
  const stem = `${head.source}_${head.parsed.upstream}.orig.tar`;
  const into = (ext) => join14(buildDir, `${stem}.${ext}`);
  if (at.tarball !== void 0) {
    const ext = /\.tar\.(gz|xz|bz2|lzma)$/.exec(at.tarball)?.[1];
    if (ext === void 0) {
      throw new SourceError(
        `source.tarball ${job.source.tarball} is not a .tar.gz, .tar.xz, .tar.bz2 or .tar.lzma, the compressions dpkg-source takes: recompress it`
      );
    }
    await copyFile2(at.tarball, into(ext)).catch((error) => {
      throw new SourceError(
        `source.tarball ${job.source.tarball} cannot be read (${error.code ?? error.message}): check the path, relative to the repository (or source.dir)`
      );
    });
    context.log.info(`upstream tarball: ${job.source.tarball}, used as ${basename5(into(ext))}`);
    return;
  }
  if (job.source.tarballCommand !== void 0) {
    context.log.info(`making the upstream tarball ${stem}.gz with source.tarball-command`);
    const failed = await runShell(context, job.source.tarballCommand, {
      cwd: at.tree,
      env: {
        ...at.env,
        ALBS_TARBALL: into("gz"),
        ALBS_SOURCE_PACKAGE: head.source,
        ALBS_UPSTREAM_VERSION: head.parsed.upstream
      },
      network: job.network,
      timeoutMs: job.timeout * 1e3
    });
    if (failed !== void 0) {
      throw new SourceError(`source.tarball-command failed: ${failed} (the log has its output)`);
    }
    const made = await origTarballs(buildDir, stem);
    if (made.length !== 1) {
      throw new SourceError(
        `source.tarball-command succeeded but left ${made.length === 0 ? `no ${stem}.gz` : `${made.length} tarballs (${made.join(", ")})`} in ${buildDir}: it must write the tarball to $ALBS_TARBALL`
      );
    }
    return;
  }
  const found = await origTarballs(at.base, stem);
  if (found.length > 1) {
    throw new SourceError(
      `${at.base} holds ${found.length} upstream tarballs (${found.join(", ")}); keep one, or name it in source.tarball`
    );
  }
  const [name] = found;
  if (name !== void 0) {
    await copyFile2(join14(at.base, name), join14(buildDir, name));
    context.log.info(`upstream tarball: ${name}, found beside debian/`);
    return;
  }
  if (required) {
    throw new SourceError(
      `debian/source/format is 3.0 (quilt), which needs the upstream tarball ${stem}.{${ORIG_EXTENSIONS.join(",")}}, and there is none beside debian/ in ${at.base}: add it there, name it in source.tarball, make it with source.tarball-command, or use format 3.0 (native)`
    );
  }
}
async function origTarballs(dir, stem) {
  const names = await readdir8(dir).catch(() => []);
  return names.filter((n2) => ORIG_EXTENSIONS.some((ext) => n2 === `${stem}.${ext}`)).sort();
}
async function archPlan(context, source, sbuild) {
  const host = context.host.debArch;
  const arch2 = jobArch(context, "deb");
  const control = parseDeb822(await readFile4(join14(source.tree, "debian", "control"), "utf8"));
  const lists = control.filter((s) => field(s, "Package") !== void 0).map((s) => `${field(s, "Package")}: ${field(s, "Architecture") ?? "any"}`);
  const archOf = (line) => line.slice(line.indexOf(":") + 2);
  const hasAll = lists.some((l) => archOf(l).split(/\s+/).includes("all"));
  const what = lists.join(", ") || "no binary packages";
  if (arch2 === "all") {
    if (!hasAll)
      return {
        excluded: `debian/control has no Architecture: all package (${what}), so the job for arch all builds nothing`
      };
    return { arch: host, indepOnly: true };
  }
  if (!sbuild && arch2 !== host) {
    return {
      failure: `this job is for ${arch2} but this runner is ${host}, and dpkg-buildpackage builds only for the arch it runs on: run the job on a ${arch2} runner (runs-on) or build with build.dpkg.sbuild`
    };
  }
  const hasArch = lists.some((l) => archListMatches(archOf(l), arch2));
  if (!hasArch && !hasAll) {
    return { excluded: `debian/control builds no binary package for ${arch2} (${what})` };
  }
  return { arch: arch2, indepOnly: !hasArch };
}
async function buildSourcePackage(context, source, buildDir, env) {
  await dpkgSource(context, ["-b", basename5(source.tree)], buildDir, env, "build the source package", "");
  return join14(buildDir, `${source.source}_${fileVersion(source.parsed)}.dsc`);
}
async function checkBuildDeps(context, tree, env, indepOnly, options) {
  const profiles = options.flatMap((o2) => {
    const match = /^(?:--build-profiles=|-P)(.+)$/.exec(o2);
    return match?.[1] ? ["-P", match[1]] : [];
  });
  const args = [...indepOnly ? ["-A"] : [], ...profiles];
  context.log.info(`checking build dependencies: dpkg-checkbuilddeps ${args.join(" ")}`.trimEnd());
  const result = await execa("dpkg-checkbuilddeps", args, {
    cwd: tree,
    env,
    extendEnv: false,
    stdin: "ignore",
    reject: false,
    timeout: 12e4,
    all: true
  });
  if (result.cause?.code === "ENOENT") {
    throw new ProcessStartError("dpkg-checkbuilddeps", "ENOENT", { cause: result.cause });
  }
  if (result.all) context.log.output(`${result.all.trimEnd()}
`);
  if (result.exitCode === 0) {
    context.log.info("build dependencies: all installed");
    return void 0;
  }
  const unmet = /Unmet build dependencies: (.+)/.exec(result.all ?? "")?.[1];
  const conflicts = /Build conflicts with installed packages: (.+)/.exec(result.all ?? "")?.[1];
  if (unmet === void 0 && conflicts === void 0) {
    return `dpkg-checkbuilddeps failed (exit ${result.exitCode ?? "none"}; the log has its output): check debian/control`;
  }
  const parts = [];
  if (unmet !== void 0) {
    const deps = splitRelations(unmet);
    const names = [...new Set(deps.map((d) => d.split(/[\s(|]/)[0] ?? d))];
    parts.push(
      `missing build dependencies: ${deps.join(", ")}; install them on the runner (apt-get install ${names.join(" ")}) or build with build.dpkg.sbuild, which installs them in a chroot`
    );
  }
  if (conflicts !== void 0) {
    parts.push(
      `build conflicts with installed packages: ${splitRelations(conflicts).join(", ")}; remove them from the runner or build with build.dpkg.sbuild`
    );
  }
  return parts.join("; ");
}
function splitRelations(text) {
  const tokens = text.trim().match(/\||[^\s(|]+(?:\s*\([^)]*\))?/g) ?? [];
  const out = [];
  for (let i2 = 0; i2 < tokens.length; i2++) {
    const token = tokens[i2] ?? "";
    if (token === "|") continue;
    if (tokens[i2 - 1] === "|" && out.length > 0) out[out.length - 1] = `${out[out.length - 1]} | ${token}`;
    else out.push(token);
  }
  return out;
}
async function dpkgSource(context, args, buildDir, env, doing, fix) {
  const result = await runProcess("dpkg-source", args, {
    cwd: buildDir,
    env,
    log: context.log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout: 10 * 6e4
  });
  if (result.exitCode !== 0) {
    throw new SourceError(
      `dpkg-source could not ${doing}: ${describeExit(`dpkg-source ${args[0]}`, result)} (the log has its output)${fix}`
    );
  }
}

// runner/steps/build.ts
var MOCK_MISSING = "mock is not installed on this runner; install it (scripts/setup on an RPM host) or use builder: rpmbuild";
var buildStep = async (context) => {
  const { job } = context;
  if (job.stage !== "build") {
    throw new Error(
      `buildStep was given the ${job.stage} job ${job.id}: the job runner must route jobs by stage`
    );
  }
  if (job.builder === "dpkg") return dpkgBuild(context, job);
  const env = cleanEnv(context.workspace, job.env);
  if (job.builder === "mock" && !onPath("mock", env.PATH ?? ""))
    return { state: "failure", reason: MOCK_MISSING };
  if (job.builder === "rpmbuild" && job.source.srpm === void 0) await logDistTag(context, job);
  const source = await sourceSrpm(context, job, env);
  if ("failure" in source) return { state: "failure", reason: source.failure };
  const { srpm } = source;
  await copyFile3(srpm, join15(context.artifacts, basename6(srpm)));
  let arches;
  try {
    arches = await readSrpmArches(srpm);
  } catch (error) {
    if (error instanceof SourceError) return { state: "failure", reason: error.message };
    throw error;
  }
  const arch2 = jobArch(context, "rpm");
  const excluded = exclusion(arches, arch2, job.builder === "rpmbuild" ? context.host.rpmArch : arch2);
  if (excluded) {
    context.log.info(`not building: ${excluded}`);
    return { state: "excluded", reason: excluded };
  }
  try {
    if (job.builder === "mock") return await mockBuild(context, job, srpm, env);
    return await rpmbuildRebuild(context, job, srpm, env, arch2, arches.noarch);
  } catch (error) {
    if (error instanceof ProcessStartError) return { state: "failure", reason: error.message };
    throw error;
  }
};
async function rpmbuildRebuild(context, job, srpm, env, jobArch2, noarch) {
  const hostArch = context.host.rpmArch;
  if (!noarch && jobArch2 !== hostArch && jobArch2 !== "noarch") {
    return {
      state: "failure",
      reason: `this job is for ${jobArch2} but this runner is ${hostArch}, and rpmbuild builds only for the arch it runs on (--target ${jobArch2} would label ${hostArch} code as ${jobArch2}): run the job on a ${jobArch2} runner (runs-on) or use builder: mock`
    };
  }
  const topdir = join15(context.workspace, "rpmbuild");
  const args = [
    "--rebuild",
    ...rpmDefine("_topdir", topdir),
    ...rpmDefine("_tmppath", env.TMPDIR || join15(context.workspace, "tmp")),
    ...macroArgs(job)
  ];
  if (!context.host.rpmDatabaseUsable) {
    args.push("--nodeps");
    context.log.info(
      "building with --nodeps: this host's rpm database cannot answer BuildRequires (a Debian-like host), so they were NOT checked; build on an RPM host or with builder: mock to check them"
    );
  }
  args.push(srpm);
  const timeout = job.timeout * 1e3;
  try {
    const result = await runProcess("rpmbuild", args, {
      cwd: context.workspace,
      env,
      log: context.log,
      signal: context.signal,
      sandbox: context.sandbox,
      network: job.network,
      timeout
    });
    if (result.exitCode !== 0) {
      return {
        state: "failure",
        reason: `build failed: ${describeExit("rpmbuild --rebuild", result, timeout)} (the log has its output)`
      };
    }
    return { state: "success" };
  } finally {
    await keepRpms(context, join15(topdir, "RPMS"));
  }
}
async function mockBuild(context, job, srpm, env) {
  if (!job.mock) {
    return {
      state: "failure",
      reason: `job ${job.id} uses builder: mock but names no mock config: set build.mock.config in .albs.yml (default <dist>-<arch> needs matrix keys dist and arch)`
    };
  }
  const resultDir = join15(context.workspace, "result");
  const timeout = job.timeout * 1e3;
  try {
    const result = await runProcess(
      "mock",
      [
        "-r",
        job.mock.config,
        ...macroArgs(job),
        "--rebuild",
        srpm,
        "--resultdir",
        resultDir,
        ...job.mock.options
      ],
      { cwd: context.workspace, env, log: context.log, signal: context.signal, timeout, sandbox: null }
    );
    if (result.exitCode !== 0) {
      await logFiles(context, resultDir, ["build.log", "root.log"]);
      return {
        state: "failure",
        reason: `build failed: ${describeExit("mock --rebuild", result, timeout)} (the log has its output)`
      };
    }
    return { state: "success" };
  } finally {
    await keepRpms(context, resultDir, (name) => !name.endsWith(".src.rpm"));
  }
}
async function logDistTag(context, job) {
  const dist = job.macros.dist;
  if (dist !== void 0) {
    context.log.info(`dist tag: ${dist === "" ? "none" : `"${dist}"`} (build.macros.dist)`);
    return;
  }
  const host = await execa("rpm", ["--eval", "%{?dist}"], {
    reject: false,
    stdin: "ignore",
    env: cleanEnv(context.workspace, {}),
    extendEnv: false
  });
  const hostDist = host.exitCode === 0 ? String(host.stdout).trim() : "";
  context.log.info(
    hostDist ? `dist tag: "${hostDist}", from this host's rpm macros (build.macros.dist is not set)` : `the packages carry no dist tag: build.macros.dist is not set and this host defines no %dist; set build.macros.dist (e.g. ".el9") for packages named like a distribution's`
  );
}
async function keepRpms(context, dir, keep = () => true) {
  const entries = await readdir9(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const rpms = entries.filter((e) => e.isFile() && e.name.endsWith(".rpm") && keep(e.name));
  for (const e of rpms) await copyFile3(join15(e.parentPath, e.name), join15(context.artifacts, e.name));
  if (rpms.length > 0) context.log.info(`kept ${rpms.map((e) => e.name).join(", ")}`);
}
async function logFiles(context, dir, names) {
  for (const name of names) {
    const text = await readFile5(join15(dir, name), "utf8").catch(() => void 0);
    if (text === void 0) continue;
    context.log.info(`--- ${join15(dir, name)} ---`);
    context.log.output(text.endsWith("\n") ? text : `${text}
`);
  }
}
function exclusion(arches, jobArch2, builderArch) {
  const arch2 = arches.noarch ? builderArch : jobArch2;
  const what = arches.noarch ? `the noarch package ${arches.name} (built on ${arch2})` : `${arches.name} on ${arch2}`;
  if (arches.excludeArch.includes(arch2)) {
    return `ExcludeArch: ${arches.excludeArch.join(" ")} rules out ${what}`;
  }
  if (arches.exclusiveArch.length > 0 && !arches.exclusiveArch.includes(arch2)) {
    return `ExclusiveArch: ${arches.exclusiveArch.join(" ")} does not include ${arch2}, so ${what} is not built`;
  }
  return void 0;
}

// src/publish/publish-apt-repo.ts
import { createHash as createHash4 } from "node:crypto";
import { link as link2, mkdir as mkdir9, readdir as readdir12, readFile as readFile7, writeFile as writeFile3 } from "node:fs/promises";
import { dirname as dirname8, join as join19, relative as relative7, resolve as resolve9 } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

// src/store/exists.ts
import { lstat as lstat4 } from "node:fs/promises";
async function exists(path6) {
  return lstat4(path6).then(
    () => true,
    (error) => {
      if (error.code === "ENOENT") return false;
      throw error;
    }
  );
}

// src/publish/deb-version.ts
function order(code) {
  if (code === void 0) return 0;
  if (code >= 48 && code <= 57) return 0;
  if (code >= 65 && code <= 90 || code >= 97 && code <= 122) return code;
  if (code === 126) return -1;
  return code + 256;
}
var isDigit = (code) => code !== void 0 && code >= 48 && code <= 57;
function verrevcmp(a2, b) {
  let i2 = 0;
  let j = 0;
  const at = (s, k) => k < s.length ? s.charCodeAt(k) : void 0;
  while (i2 < a2.length || j < b.length) {
    let firstDiff = 0;
    while (i2 < a2.length && !isDigit(at(a2, i2)) || j < b.length && !isDigit(at(b, j))) {
      const ac = order(at(a2, i2));
      const bc = order(at(b, j));
      if (ac !== bc) return ac - bc;
      i2++;
      j++;
    }
    while (at(a2, i2) === 48) i2++;
    while (at(b, j) === 48) j++;
    while (isDigit(at(a2, i2)) && isDigit(at(b, j))) {
      if (!firstDiff) firstDiff = (at(a2, i2) ?? 0) - (at(b, j) ?? 0);
      i2++;
      j++;
    }
    if (isDigit(at(a2, i2))) return 1;
    if (isDigit(at(b, j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}
function compareDebianVersions(a2, b) {
  const va = parseDebianVersion(a2);
  const vb = parseDebianVersion(b);
  if (!va || !vb) throw new Error(`not a Debian version: "${va ? b : a2}"`);
  if (va.epoch !== vb.epoch) return va.epoch > vb.epoch ? 1 : -1;
  return Math.sign(verrevcmp(va.upstream, vb.upstream) || verrevcmp(va.revision, vb.revision));
}

// src/publish/repo-dirs.ts
import { createHash as createHash3 } from "node:crypto";
import { createReadStream as createReadStream3 } from "node:fs";
import { copyFile as copyFile4, link, lstat as lstat6, mkdir as mkdir8, readdir as readdir11, readlink, rename as rename3, rm as rm6, stat as stat3, symlink as symlink3 } from "node:fs/promises";
import { basename as basename7, dirname as dirname7, join as join18, relative as relative6, resolve as resolve8 } from "node:path";

// src/store/owner-lock.ts
import { randomBytes } from "node:crypto";
import { readdirSync as readdirSync2, readFileSync as readFileSync5, rmdirSync, unlinkSync } from "node:fs";
import { lstat as lstat5, mkdir as mkdir7, readdir as readdir10, readFile as readFile6, rename as rename2, rmdir, unlink, writeFile as writeFile2 } from "node:fs/promises";
import { hostname } from "node:os";
import { join as join16 } from "node:path";
function thisProcess() {
  return {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    host: hostname(),
    since: (/* @__PURE__ */ new Date()).toISOString()
  };
}
async function stageLock(lock, owner, options = {}) {
  const token = `${process.pid}-${randomBytes(6).toString("hex")}`;
  const staged = `${lock}-${randomBytes(6).toString("hex")}-${process.pid}`;
  await mkdir7(staged, { recursive: options.parents ?? false });
  await writeFile2(join16(staged, token), `${JSON.stringify(owner)}
`);
  return { staged, token };
}
async function renameInto(staged, lock, notALock) {
  try {
    await rename2(staged, lock);
    return true;
  } catch (error) {
    const code = error.code;
    if (code === "ENOTEMPTY" || code === "EEXIST") return false;
    if (code === "ENOTDIR") throw notALock(error);
    throw error;
  }
}
async function readOwner(lock, notAnOwner) {
  const names = await readdir10(lock).catch((error) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const name = names[0];
  if (name === void 0) return null;
  let text;
  try {
    text = await readFile6(join16(lock, name), "utf8");
  } catch (error) {
    const gone = await lstat5(join16(lock, name)).then(
      () => false,
      (e) => e.code === "ENOENT"
    );
    return gone ? null : { name, unreadable: error instanceof Error ? error.message : String(error) };
  }
  try {
    const owner = JSON.parse(text);
    if (typeof owner?.pid === "number" && typeof owner.host === "string") {
      return {
        name,
        owner: {
          pid: owner.pid,
          host: owner.host,
          startTime: typeof owner.startTime === "string" ? owner.startTime : null,
          since: typeof owner.since === "string" ? owner.since : "an unknown time"
        }
      };
    }
  } catch {
  }
  return { name, unreadable: notAnOwner(JSON.stringify(text.slice(0, 60))) };
}
async function removeOwner(lock, name) {
  await unlink(join16(lock, name)).catch(ignoreMissing);
}
async function releaseLock(lock, token) {
  await unlink(join16(lock, token)).catch(ignoreMissing);
  await rmdir(lock).catch((error) => {
    const code = error.code;
    if (code !== "ENOENT" && code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
  });
}
function releaseLockSync(lock, token) {
  try {
    unlinkSync(join16(lock, token));
    if (readdirSync2(lock).length === 0) rmdirSync(lock);
  } catch {
  }
}
function running(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code !== "ESRCH";
  }
}
function whyGone(owner) {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return "is not a process";
  if (!running(owner.pid)) return "is no longer running";
  const now = processStartTime(owner.pid);
  if (owner.startTime !== null && now !== null && now !== owner.startTime)
    return "is no longer running (its pid is now another process)";
  return null;
}
function processStartTime(pid) {
  try {
    const stat5 = readFileSync5(`/proc/${pid}/stat`, "utf8");
    return stat5.slice(stat5.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}
function ignoreMissing(error) {
  if (error.code !== "ENOENT") throw error;
}

// src/publish/repo-lock.ts
import { rm as rm5 } from "node:fs/promises";
import { join as join17 } from "node:path";
import { setTimeout as sleep3 } from "node:timers/promises";
var DEFAULT_LOCK_TIMEOUT_MS = 10 * 60 * 1e3;
var RepoLockError = class extends Error {
  name = "RepoLockError";
};
function lockPath(versions, repo) {
  return join17(versions, `${repo}.lock`);
}
async function lockRepo(versions, repo, options) {
  const lock = lockPath(versions, repo);
  const me = thisProcess();
  const { staged, token } = await stageLock(lock, me, { parents: true });
  const notALock = (cause) => new RepoLockError(`${lock} is not a directory albs-ci made; remove it to publish`, { cause });
  const started = Date.now();
  let delay = 50;
  let waitingFor = "";
  try {
    for (; ; ) {
      checkAborted(repo, options.signal);
      if (await renameInto(staged, lock, notALock)) return () => releaseLock(lock, token);
      const holder = await readOwner(lock, (excerpt) => `it does not say who holds it: ${excerpt}`);
      if (holder !== null && "owner" in holder && holder.owner.host === me.host && !running(holder.owner.pid)) {
        options.log(
          `${repo}: taking over the lock of process ${holder.owner.pid}, which is no longer running`
        );
        await removeOwner(lock, holder.name);
        continue;
      }
      if (holder !== null) {
        const who = describe(repo, lock, holder);
        if (Date.now() - started >= options.timeoutMs) throw timedOut(repo, lock, options.timeoutMs, holder);
        if (who !== waitingFor) {
          options.log(`${repo}: ${who}`);
          waitingFor = who;
        }
      } else if (Date.now() - started >= options.timeoutMs) {
        throw new RepoLockError(
          `${repo}: gave up after ${seconds(options.timeoutMs)} s trying to take the lock ${lock}, which kept being taken and released; give the publication a longer lockTimeoutMs`
        );
      }
      await sleep3(holder === null ? 10 : delay, void 0, { signal: options.signal }).catch(() => {
      });
      if (holder !== null) delay = Math.min(delay * 2, 2e3);
    }
  } finally {
    await rm5(staged, { recursive: true, force: true });
  }
}
function checkAborted(repo, signal) {
  if (!signal?.aborted) return;
  const reason = signal.reason;
  throw new RepoLockError(
    `${repo}: cancelled while waiting for the repository lock (${reason instanceof Error ? reason.message : String(reason ?? "aborted")}); nothing was published`,
    { cause: reason }
  );
}
function describe(repo, lock, holder) {
  if ("unreadable" in holder)
    return `waiting for the lock ${lock}, whose owner entry ${holder.name} cannot be read (${holder.unreadable}); if no publication of ${repo} is running, the lock is stale: remove ${lock}`;
  const { pid, host, since } = holder.owner;
  return `waiting for another publication of this repository (process ${pid} on ${host}, since ${since}) to release ${lock}`;
}
function timedOut(repo, lock, timeoutMs, holder) {
  const after = `gave up after ${seconds(timeoutMs)} s`;
  if ("unreadable" in holder) {
    return new RepoLockError(
      `${repo}: ${after} waiting for the lock ${lock}, whose owner entry ${holder.name} cannot be read (${holder.unreadable}); if no publication of ${repo} is running, the lock is stale: remove ${lock}`
    );
  }
  const { pid, host, since } = holder.owner;
  return new RepoLockError(
    `${repo}: ${after} waiting for another publication of this repository (process ${pid} on ${host}, since ${since}); if it is no longer running, remove ${lock}; or give the publication a longer lockTimeoutMs`
  );
}
function seconds(ms) {
  return Math.round(ms / 1e3);
}

// src/publish/repo-dirs.ts
var VERSIONS_DIR = ".repos";
var PublishError = class extends Error {
  name = "PublishError";
};
function checkRepoOptions(repo, keep) {
  if (!REPO_NAME.test(repo)) {
    throw new PublishError(`repo name "${repo}" is not a safe directory name; it must match ${REPO_NAME}`);
  }
  if (!Number.isInteger(keep) || keep < 1) throw new PublishError(`keep is ${keep}; keep at least 1 version`);
}
async function publishRepoDir(options, carry, fill) {
  const { repo, keep, signal } = options;
  checkRepoOptions(repo, keep);
  const reposDir = resolve8(options.reposDir);
  const log = options.log ?? (() => {
  });
  const timeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0)
    throw new PublishError(`lockTimeoutMs is ${timeoutMs}; give a number of milliseconds, 0 or more`);
  const link_ = join18(reposDir, repo);
  const versions = join18(reposDir, VERSIONS_DIR);
  await mkdir8(versions, { recursive: true });
  const release = await lockRepo(versions, repo, { timeoutMs, signal, log });
  try {
    const current = await currentTarget(link_);
    const previousLink = join18(versions, `${repo}.previous`);
    const previous = await readlink(previousLink).then((target) => resolve8(versions, target)).catch(() => null);
    const staging = await stagingDir(versions, repo);
    let result;
    try {
      if (current) for (const sub of carry) await linkTree(repo, join18(current, sub), join18(staging, sub));
      result = await fill({ staging, current, log });
      if (signal?.aborted) {
        const reason = signal.reason;
        throw new PublishError(
          `${repo}: cancelled before the switch (${reason instanceof Error ? reason.message : String(reason ?? "aborted")}); the published repository is unchanged`,
          { cause: reason }
        );
      }
    } catch (error) {
      await rm6(staging, { recursive: true, force: true });
      throw error;
    }
    await switchLink(link_, relative6(reposDir, staging));
    await tidyUp({ versions, repo, staging, current, previous, previousLink, log }).catch(
      (error) => log(
        `${repo}: published, but cleaning up ${versions} failed (${error instanceof Error ? error.message : String(error)}); the next publication tries again`
      )
    );
    return result;
  } finally {
    await release();
  }
}
async function addPackage(staging, path6, source, context) {
  const { repo, given, bump } = context;
  const target = join18(staging, path6);
  const earlier = given.get(path6);
  if (earlier !== void 0) {
    if (await sameBytes(earlier, source)) return false;
    throw new PublishError(
      `${repo}: ${path6} is given twice with different content (${earlier}, ${source}); bump the ${bump} of one of them`
    );
  }
  given.set(path6, source);
  const published = await stat3(target).then(
    () => true,
    (error) => {
      if (error.code === "ENOENT") return false;
      throw error;
    }
  );
  if (published) {
    if (await sameBytes(target, source)) return true;
    throw new PublishError(
      `${repo}: ${path6} is already published with other content (${source}); a published package never changes under the same name: bump its ${bump} and publish again`
    );
  }
  await mkdir8(dirname7(target), { recursive: true });
  await copyFile4(source, target);
  return true;
}
async function sameBytes(a2, b) {
  const [sa, sb] = await Promise.all([stat3(a2), stat3(b)]);
  if (sa.size !== sb.size) return false;
  if (sa.dev === sb.dev && sa.ino === sb.ino) return true;
  const [ha, hb] = await Promise.all([sha256File(a2), sha256File(b)]);
  return ha === hb;
}
async function sha256File(path6) {
  const hash = createHash3("sha256");
  for await (const chunk of createReadStream3(path6)) hash.update(chunk);
  return hash.digest("hex");
}
async function pruneVersions(dir, packages, newestFirst, context) {
  const { repo, keep, added, log } = context;
  const groups = /* @__PURE__ */ new Map();
  for (const pkg of packages) groups.set(pkg.group, [...groups.get(pkg.group) ?? [], pkg]);
  const removed = [];
  for (const [group, list] of groups) {
    list.sort((a2, b) => newestFirst(a2.version, b.version));
    const older = list.slice(keep);
    const kept = older.filter((pkg) => added.has(pkg.path));
    for (const pkg of older) {
      if (added.has(pkg.path)) continue;
      await rm6(join18(dir, pkg.path));
      removed.push(pkg.path);
      log(`${repo}: removed ${pkg.path} (keeping the last ${keep} versions)`);
    }
    for (const pkg of kept) {
      log(
        `${repo}: kept ${pkg.path}, published now though ${keep === 1 ? "a newer version is" : `${keep} newer versions are`} in the repository: ${group} has ${keep + kept.length} versions, more than keep ${keep}`
      );
    }
  }
  return removed.sort();
}
async function currentTarget(link_) {
  const target = await readlink(link_).catch(() => null);
  if (target !== null) return resolve8(link_, "..", target);
  const info = await stat3(link_).catch(() => null);
  if (info?.isDirectory()) {
    throw new PublishError(`${link_} is a directory, not a repository albs-ci published; move it away`);
  }
  return null;
}
async function stagingDir(versions, repo) {
  const staging = join18(versions, `${repo}@${Date.now().toString(36)}-${process.pid}`);
  await mkdir8(staging);
  return staging;
}
async function linkTree(repo, from, to) {
  const absent = await lstat6(from).then(
    () => false,
    (error) => error.code === "ENOENT"
  );
  await mkdir8(to, { recursive: true });
  if (absent) return;
  const entries = await readdir11(from, { recursive: true, withFileTypes: true }).catch((error) => {
    throw new PublishError(
      `${repo}: cannot read ${from}, a directory of the live repository (${error instanceof Error ? error.message : String(error)}); nothing was published: restore it (or move the repository away to start afresh)`,
      { cause: error }
    );
  });
  for (const entry of entries) {
    const path6 = relative6(from, join18(entry.parentPath, entry.name));
    if (entry.isDirectory()) continue;
    if (!entry.isFile()) {
      throw new PublishError(
        `${repo}: ${join18(from, path6)} is not a file or a directory albs-ci published (a symlink or a special file); nothing was published: replace it by the file itself or remove it`
      );
    }
    await mkdir8(join18(to, path6, ".."), { recursive: true });
    await link(join18(from, path6), join18(to, path6));
  }
}
async function switchLink(link_, target) {
  const temp = `${link_}.switch-${process.pid}`;
  await rm6(temp, { force: true });
  await symlink3(target, temp);
  await rename3(temp, link_);
}
async function tidyUp(state) {
  const { versions, repo, staging, current, previous, previousLink, log } = state;
  if (current) await switchLink(previousLink, relative6(versions, current));
  else await rm6(previousLink, { force: true });
  if (previous && previous !== current && previous !== staging && ownDir(versions, repo, previous) !== null) {
    await rm6(previous, { recursive: true, force: true });
  }
  const leftovers = (await readdir11(versions)).map((name) => ({ path: join18(versions, name), pid: ownDir(versions, repo, join18(versions, name)) })).filter(({ path: path6, pid }) => pid !== null && path6 !== staging && path6 !== current && !running(pid));
  for (const { path: path6, pid } of leftovers) {
    await rm6(path6, { recursive: true, force: true });
    log(`${repo}: removed ${basename7(path6)}, left by process ${pid}, which is no longer running`);
  }
}
function ownDir(versions, repo, path6) {
  if (dirname7(path6) !== versions) return null;
  const name = basename7(path6);
  for (const prefix of [`${repo}@`, `${repo}.lock-`]) {
    if (!name.startsWith(prefix)) continue;
    const match = /^[0-9a-z]+-(\d+)$/.exec(name.slice(prefix.length));
    if (match) return Number(match[1]);
  }
  return null;
}

// src/publish/publish-apt-repo.ts
var APT_COMPONENT = "main";
async function publishAptRepo(options) {
  const { repo, reposDir, keep } = options;
  const link_ = join19(reposDir, repo);
  const keyFile = `${repo}.asc`;
  const sourcesFile = `${repo}.sources`;
  const { added, removed } = await publishRepoDir(options, ["pool"], async ({ staging, current, log }) => {
    const added2 = [];
    const given = /* @__PURE__ */ new Map();
    for (const deb of options.packages) {
      const path6 = poolPath(await debFields(deb));
      if (await addPackage(staging, path6, deb, { repo, given, bump: "Debian revision" })) added2.push(path6);
    }
    const removed2 = await pruneVersions(staging, await debVersions(staging, keep), compareNewestFirst, {
      repo,
      keep,
      added: new Set(added2),
      log
    });
    const release = await writeIndexes(staging, repo, options.now ?? /* @__PURE__ */ new Date());
    if (current) await keepPreviousIndexes(current, staging, { repo, log });
    await options.signer.signRepoMetadata({ kind: "apt", release });
    await writeFile3(join19(staging, keyFile), options.publicKey);
    const live = resolve9(link_);
    await writeFile3(
      join19(staging, sourcesFile),
      options.baseUrl === void 0 ? sourcesText(repo, `${pathToFileURL(live).href}/`, join19(live, keyFile)) : sourcesText(repo, options.baseUrl, inlineKey(options.publicKey))
    );
    return { added: added2, removed: removed2 };
  });
  options.log?.(`${repo}: published ${added.length} package${added.length === 1 ? "" : "s"} (suite ${repo})`);
  return {
    dir: link_,
    suite: repo,
    sourcesFile: join19(link_, sourcesFile),
    keyFile: join19(link_, keyFile),
    added,
    removed
  };
}
async function debFields(deb) {
  const result = await execa("dpkg-deb", ["--field", deb, "Package", "Version", "Architecture", "Source"], {
    reject: false,
    stdin: "ignore"
  });
  if (result.exitCode !== 0) {
    throw new PublishError(
      `${deb}: dpkg-deb cannot read it (${result.stderr.trim() || `exit ${result.exitCode}`}); is it a whole .deb?`
    );
  }
  const stanza = parseDeb822(result.stdout)[0];
  const pkg = field(stanza, "Package") ?? "";
  const version = field(stanza, "Version") ?? "";
  const architecture = field(stanza, "Architecture") ?? "";
  const source = (field(stanza, "Source") ?? pkg).split(" ")[0] ?? pkg;
  if (!SOURCE_NAME.test(pkg) || !SOURCE_NAME.test(source))
    throw new PublishError(`${deb}: package name "${pkg}" (source "${source}") is not a Debian package name`);
  if (!parseDebianVersion(version))
    throw new PublishError(`${deb}: version "${version}" is not a Debian version`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(architecture))
    throw new PublishError(`${deb}: architecture "${architecture}" is not a Debian arch name`);
  return { package: pkg, version, architecture, source };
}
function poolPath(deb) {
  const prefix = deb.source.startsWith("lib") ? deb.source.slice(0, 4) : deb.source.slice(0, 1);
  const version = parseDebianVersion(deb.version);
  const name = `${deb.package}_${version ? fileVersion(version) : deb.version}_${deb.architecture}.deb`;
  return join19("pool", APT_COMPONENT, prefix, deb.source, name);
}
async function poolDebs(dir) {
  const entries = await readdir12(join19(dir, "pool"), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith(".deb")).map((e) => relative7(dir, join19(e.parentPath, e.name))).sort();
}
function compareNewestFirst(a2, b) {
  return compareDebianVersions(b, a2);
}
async function debVersions(dir, keep) {
  const debs = await poolDebs(dir);
  if (debs.length <= keep) return [];
  const versions = [];
  for (const path6 of debs) {
    const fields = await debFields(join19(dir, path6));
    versions.push({ path: path6, group: `${fields.package}:${fields.architecture}`, version: fields.version });
  }
  return versions;
}
async function writeIndexes(dir, suite, now) {
  const scan = await execa("dpkg-scanpackages", ["--multiversion", "pool"], {
    cwd: dir,
    reject: false,
    stdin: "ignore"
  });
  if (scan.exitCode !== 0) {
    throw new PublishError(
      `dpkg-scanpackages failed in ${dir} (exit ${scan.exitCode}): ${scan.stderr.trim().split("\n").slice(-3).join(" / ")}`
    );
  }
  const stanzas = scan.stdout.split(/\n\s*\n/).map((s) => s.trim()).filter((s) => s !== "");
  const archOf = (stanza) => /^Architecture: (\S+)$/m.exec(stanza)?.[1] ?? "";
  const arches = [...new Set(stanzas.map(archOf))].sort();
  const concrete = arches.filter((a2) => a2 !== "all");
  const indexes = [];
  for (const arch2 of arches) {
    const own = stanzas.filter((s) => archOf(s) === arch2 || archOf(s) === "all");
    const text = own.length ? `${own.join("\n\n")}
` : "";
    const base = join19(APT_COMPONENT, `binary-${arch2}`);
    await mkdir9(join19(dir, "dists", suite, base), { recursive: true });
    await writeFile3(join19(dir, "dists", suite, base, "Packages"), text);
    await writeFile3(join19(dir, "dists", suite, base, "Packages.gz"), gzipSync(text, { level: 9 }));
    indexes.push(join19(base, "Packages"), join19(base, "Packages.gz"));
  }
  const sums = await Promise.all(
    indexes.map(async (path7) => {
      const bytes = await readFile7(join19(dir, "dists", suite, path7));
      return {
        path: path7,
        size: bytes.length,
        md5: createHash4("md5").update(bytes).digest("hex"),
        sha256: createHash4("sha256").update(bytes).digest("hex")
      };
    })
  );
  for (const { path: path7, sha256 } of sums) {
    await linkByHash(join19(dir, "dists", suite, path7), byHashPath(join19(dir, "dists", suite), path7, sha256));
  }
  const release = [
    "Origin: albs-ci",
    `Label: ${suite}`,
    `Suite: ${suite}`,
    `Codename: ${suite}`,
    `Date: ${now.toUTCString()}`,
    // apt fetches dists/…/by-hash/SHA256/<hash>: an index that changes at a switch never mismatches.
    "Acquire-By-Hash: yes",
    `Architectures: ${arches.join(" ")}`,
    `Components: ${APT_COMPONENT}`,
    `Description: ${suite}, published by albs-ci`,
    ...concrete.length && arches.includes("all") ? ["No-Support-for-Architecture-all: Packages"] : [],
    "MD5Sum:",
    ...sums.map((s) => ` ${s.md5} ${String(s.size).padStart(8)} ${s.path}`),
    "SHA256:",
    ...sums.map((s) => ` ${s.sha256} ${String(s.size).padStart(8)} ${s.path}`),
    ""
  ].join("\n");
  const path6 = join19(dir, "dists", suite, "Release");
  await writeFile3(path6, release);
  return path6;
}
function byHashPath(dists, path6, sha256) {
  return join19(dists, dirname8(path6), "by-hash", "SHA256", sha256);
}
async function linkByHash(index, target) {
  await mkdir9(dirname8(target), { recursive: true });
  await link2(index, target).catch((error) => {
    if (error.code !== "EEXIST") throw error;
  });
}
async function keepPreviousIndexes(current, staging, context) {
  const { repo, log } = context;
  const dists = join19(current, "dists", repo);
  const release = await readFile7(join19(dists, "Release"), "utf8").catch((error) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const missing = [];
  for (const { path: path6, sha256 } of releaseSha256(release)) {
    const target = byHashPath(join19(staging, "dists", repo), path6, sha256);
    let source = byHashPath(dists, path6, sha256);
    if (!await exists(source)) source = join19(dists, path6);
    if (!await exists(source) || await sha256File(source) !== sha256) {
      missing.push(path6);
      continue;
    }
    await linkByHash(source, target);
  }
  if (missing.length) {
    log(
      `${repo}: the live Release lists ${missing.join(", ")} with a hash no file of the live repository has; clients that read it before this publication cannot fetch them`
    );
  }
}
function inlineKey(armored) {
  return armored.trim().split("\n").map((line, i2) => i2 === 0 ? line : line.trim() === "" ? " ." : ` ${line}`).join("\n");
}
function releaseSha256(release) {
  const section = /^SHA256:\n((?:[ \t].*(?:\n|$))*)/m.exec(release)?.[1] ?? "";
  return [...section.matchAll(/^\s+([0-9a-f]{64})\s+\d+\s+(\S+)\s*$/gm)].map((m) => ({ sha256: m[1], path: m[2] })).filter(({ path: path6 }) => !path6.split("/").includes("..") && !path6.startsWith("/"));
}
function sourcesText(repo, base, signedBy) {
  return [
    `# ${repo}, published by albs-ci: copy to /etc/apt/sources.list.d/${repo}.sources`,
    "Types: deb",
    `URIs: ${base}`,
    `Suites: ${repo}`,
    `Components: ${APT_COMPONENT}`,
    `Signed-By: ${signedBy}`,
    ""
  ].join("\n");
}

// src/publish/publish-dnf-repo.ts
import { copyFile as copyFile5, link as link3, mkdir as mkdir10, readdir as readdir13, readFile as readFile8, writeFile as writeFile4 } from "node:fs/promises";
import { basename as basename8, join as join21, resolve as resolve10 } from "node:path";
import { pathToFileURL as pathToFileURL2 } from "node:url";

// src/publish/create-dnf-repo.ts
import { rm as rm7 } from "node:fs/promises";
import { join as join20 } from "node:path";
var CreateRepoError = class extends Error {
  name = "CreateRepoError";
};
async function createDnfRepo(dir, options) {
  const program = options.createrepo ?? "createrepo_c";
  const args = [...options.update ? ["--update"] : [], dir];
  const result = await execa(program, args, { reject: false, stdin: "ignore", all: true });
  if (result.failed) {
    const missing = result.cause?.code === "ENOENT";
    const message = missing ? `${program} not found; install it (Debian/Ubuntu: createrepo-c, Fedora/EL: createrepo_c)` : `${program} ${args.join(" ")} failed (exit code ${result.exitCode ?? "none"}): ${tail(result.all)}; check that ${dir} is a writable directory of .rpm files`;
    throw new CreateRepoError(message, { cause: result.cause ?? result });
  }
  const repomd = join20(dir, "repodata", "repomd.xml");
  if (!options.signer) {
    await rm7(`${repomd}.asc`, { force: true });
    return { dir, repomd, signature: void 0 };
  }
  const [signature] = await options.signer.signRepoMetadata({ kind: "dnf", repomd });
  return { dir, repomd, signature };
}
function tail(output) {
  const lines = (output ?? "").trim().split("\n");
  return lines.slice(-5).join(" / ") || "no output";
}

// src/publish/rpm-version.ts
function rpmvercmp(a2, b) {
  if (a2 === b) return 0;
  let i2 = 0;
  let j = 0;
  const isAlnum = (c3) => c3 !== void 0 && /[A-Za-z0-9]/.test(c3);
  while (i2 < a2.length || j < b.length) {
    while (i2 < a2.length && !isAlnum(a2[i2]) && a2[i2] !== "~" && a2[i2] !== "^") i2++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== "~" && b[j] !== "^") j++;
    if (a2[i2] === "~" || b[j] === "~") {
      if (a2[i2] !== "~") return 1;
      if (b[j] !== "~") return -1;
      i2++;
      j++;
      continue;
    }
    if (a2[i2] === "^" || b[j] === "^") {
      if (i2 >= a2.length) return -1;
      if (j >= b.length) return 1;
      if (a2[i2] !== "^") return 1;
      if (b[j] !== "^") return -1;
      i2++;
      j++;
      continue;
    }
    if (i2 >= a2.length || j >= b.length) break;
    const numeric = /[0-9]/.test(a2[i2]);
    const segment = numeric ? /^[0-9]+/ : /^[A-Za-z]+/;
    const sa = segment.exec(a2.slice(i2))?.[0] ?? "";
    const sb = segment.exec(b.slice(j))?.[0] ?? "";
    if (sb === "") return numeric ? 1 : -1;
    i2 += sa.length;
    j += sb.length;
    const ca = numeric ? sa.replace(/^0+/, "") : sa;
    const cb = numeric ? sb.replace(/^0+/, "") : sb;
    if (numeric && ca.length !== cb.length) return ca.length > cb.length ? 1 : -1;
    if (ca !== cb) return ca > cb ? 1 : -1;
  }
  if (i2 >= a2.length && j >= b.length) return 0;
  return i2 >= a2.length ? -1 : 1;
}
function compareEvr(a2, b) {
  if (a2.epoch !== b.epoch) return a2.epoch > b.epoch ? 1 : -1;
  return rpmvercmp(a2.version, b.version) || rpmvercmp(a2.release, b.release);
}

// src/publish/publish-dnf-repo.ts
async function publishDnfRepo(options) {
  const { repo, reposDir, keep } = options;
  const link_ = join21(reposDir, repo);
  const keyFile = `RPM-GPG-KEY-${options.keyName}`;
  const repoFile = `${repo}.repo`;
  const { added, removed } = await publishRepoDir(
    options,
    ["Packages"],
    async ({ staging, current, log }) => {
      const packagesDir = join21(staging, "Packages");
      await mkdir10(packagesDir, { recursive: true });
      if (current) await copyRepodata(current, staging);
      const added2 = [];
      const given = /* @__PURE__ */ new Map();
      for (const pkg of options.packages) {
        const name = basename8(pkg);
        if (!name.endsWith(".rpm") || name.startsWith("."))
          throw new PublishError(`${pkg}: not an .rpm file name`);
        if (await addPackage(packagesDir, name, pkg, { repo, given, bump: "Release" })) added2.push(name);
      }
      const removed2 = await pruneVersions(
        packagesDir,
        await rpmVersions(packagesDir, keep),
        compareNewestFirst2,
        {
          repo,
          keep,
          added: new Set(added2),
          log
        }
      );
      await createDnfRepo(staging, { signer: options.signer, update: current !== null });
      if (current) await keepPreviousRepodata(current, staging, { repo, log });
      await writeFile4(join21(staging, keyFile), options.publicKey);
      await writeFile4(
        join21(staging, repoFile),
        repoFileText(repo, options.baseUrl ?? `${pathToFileURL2(resolve10(link_)).href}/`, keyFile)
      );
      return { added: added2, removed: removed2 };
    }
  );
  options.log?.(`${repo}: published ${added.length} package${added.length === 1 ? "" : "s"}`);
  return { dir: link_, repoFile: join21(link_, repoFile), keyFile: join21(link_, keyFile), added, removed };
}
async function copyRepodata(from, to) {
  const names = await repodataFiles(from);
  if (!names.length) return;
  await mkdir10(join21(to, "repodata"));
  for (const name of ["repomd.xml", ...names]) {
    await copyFile5(join21(from, "repodata", name), join21(to, "repodata", name)).catch(ignoreMissing2);
  }
}
async function keepPreviousRepodata(current, staging, context) {
  const missing = [];
  for (const name of await repodataFiles(current)) {
    const target = join21(staging, "repodata", name);
    if (await exists(target)) continue;
    await link3(join21(current, "repodata", name), target).catch((error) => {
      if (error.code !== "ENOENT") throw error;
      missing.push(name);
    });
  }
  if (missing.length) {
    context.log(
      `${context.repo}: the live repomd.xml names ${missing.join(", ")}, missing from its repodata/; clients that read it before this publication cannot fetch them`
    );
  }
}
async function repodataFiles(dir) {
  const repomd = await readFile8(join21(dir, "repodata", "repomd.xml"), "utf8").catch((error) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const names = [...repomd.matchAll(/<location href="repodata\/([^"/]+)"/g)].map((m) => m[1]);
  return [...new Set(names)].filter((name) => name !== "repomd.xml" && !name.startsWith("."));
}
function ignoreMissing2(error) {
  if (error.code !== "ENOENT") throw error;
}
function compareNewestFirst2(a2, b) {
  return compareEvr(b, a2);
}
async function rpmVersions(dir, keep) {
  const files = (await readdir13(dir)).filter((f) => f.endsWith(".rpm")).sort();
  if (files.length <= keep) return [];
  const { stdout } = await execa(
    "rpm",
    [
      "-qp",
      "--nosignature",
      "--nodigest",
      "--qf",
      "%{NAME}\\t%{ARCH}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\n",
      ...files
    ],
    { cwd: dir, stdin: "ignore" }
  );
  const lines = stdout.trim().split("\n");
  if (lines.length !== files.length) {
    throw new PublishError(
      `rpm described ${lines.length} of the ${files.length} packages in ${dir}; one is unreadable`
    );
  }
  return lines.map((line, i2) => {
    const [name, arch2, epoch, version, release] = line.split("	");
    return {
      path: files[i2],
      group: `${name}.${arch2}`,
      version: { epoch: Number(epoch), version: version ?? "", release: release ?? "" }
    };
  });
}
function repoFileText(repo, base, keyFile) {
  return [
    `[${repo}]`,
    `name=${repo} (albs-ci)`,
    `baseurl=${base}`,
    "enabled=1",
    "gpgcheck=1",
    "repo_gpgcheck=1",
    `gpgkey=${new URL(encodeURIComponent(keyFile), base).href}`,
    ""
  ].join("\n");
}

// runner/package-files.ts
function binaryPackages(paths, family) {
  return [...paths].filter(
    (p) => family === "deb" ? p.endsWith(".deb") : p.endsWith(".rpm") && !p.endsWith(".src.rpm")
  );
}

// runner/steps/publish.ts
function publishStep(setup) {
  return async (ctx) => {
    if (ctx.job.stage !== "publish")
      return { state: "failure", reason: `publish step given a ${ctx.job.stage} job` };
    if (ctx.job.family === "deb") {
      const debs = binaryPackages(ctx.inputs[ctx.job.sign] ?? [], "deb");
      if (debs.length === 0) return { state: "failure", reason: `${ctx.job.sign} left no debs` };
      const published2 = await publishAptRepo({
        reposDir: setup.reposDir,
        repo: ctx.job.repo,
        packages: debs,
        signer: await setup.keys.signer(ctx.job.key),
        publicKey: await setup.keys.publicKey(ctx.job.key),
        keep: setup.keep,
        log: (line) => ctx.log.info(line),
        signal: ctx.signal,
        baseUrl: setup.baseUrl?.(ctx.job.repo)
      });
      ctx.log.info(
        `install with: cp ${published2.sourcesFile} /etc/apt/sources.list.d/ && apt-get update (Signed-By ${published2.keyFile})`
      );
      return { state: "success" };
    }
    const packages = binaryPackages(ctx.inputs[ctx.job.sign] ?? [], "rpm");
    if (packages.length === 0) return { state: "failure", reason: `${ctx.job.sign} left no signed packages` };
    const published = await publishDnfRepo({
      reposDir: setup.reposDir,
      repo: ctx.job.repo,
      packages,
      signer: await setup.keys.signer(ctx.job.key),
      publicKey: await setup.keys.publicKey(ctx.job.key),
      keyName: ctx.job.key,
      keep: setup.keep,
      log: (line) => ctx.log.info(line),
      signal: ctx.signal,
      baseUrl: setup.baseUrl?.(ctx.job.repo)
    });
    ctx.log.info(
      `install with: dnf config-manager --add-repo ${published.repoFile} (or copy it to /etc/yum.repos.d/)`
    );
    return { state: "success" };
  };
}

// runner/steps/sign.ts
import { createHash as createHash5 } from "node:crypto";
import { createReadStream as createReadStream4 } from "node:fs";
import { copyFile as copyFile6 } from "node:fs/promises";
import { basename as basename9, join as join22 } from "node:path";
import { pipeline as pipeline3 } from "node:stream/promises";
function signStep(keys) {
  return async (ctx) => {
    if (ctx.job.stage !== "sign")
      return { state: "failure", reason: `sign step given a ${ctx.job.stage} job` };
    const deb = ctx.job.family === "deb";
    const taken = /* @__PURE__ */ new Map();
    const clashes = [];
    for (const [build, files] of Object.entries(ctx.inputs)) {
      for (const file of binaryPackages(files, ctx.job.family)) {
        const name = basename9(file);
        const first = taken.get(name);
        if (!first) {
          taken.set(name, { file, build });
          continue;
        }
        first.sha256 ??= fileSha256(first.file);
        const [kept, other] = await Promise.all([first.sha256, fileSha256(file)]);
        if (kept === other) {
          ctx.log.info(
            `${name} from ${build} is the same file (SHA-256 ${other}) as from ${first.build}; ${deb ? "passing" : "signing"} it once`
          );
        } else {
          ctx.log.info(`${name}: SHA-256 ${kept} from ${first.build}, ${other} from ${build}`);
          clashes.push(`${first.build} and ${build} both made ${name}, with different contents`);
        }
      }
    }
    if (clashes.length > 0) {
      const version = deb ? "version (debian/changelog)" : "Release (in the spec)";
      return {
        state: "failure",
        reason: `repo ${ctx.job.repo} cannot hold two different packages under one file name: ${clashes.join("; ")}. Give each variant its own repo (a publish[].repo naming the matrix key they differ in, e.g. "${ctx.job.repo}-\${{ matrix.KEY }}") or a distinct ${version}`
      };
    }
    const copies = /* @__PURE__ */ new Map();
    for (const [name, { file }] of taken) {
      const copy = join22(ctx.artifacts, name);
      await copyFile6(file, copy);
      copies.set(name, copy);
    }
    if (copies.size === 0)
      return { state: "failure", reason: "no binary packages to sign: the builds produced none" };
    if (deb) {
      ctx.log.info(
        `passing ${copies.size} deb(s) for ${ctx.job.repo} through unsigned: apt trusts debs through the repository's Release, which the publish job signs with key "${ctx.job.key}" (InRelease, Release.gpg)`
      );
      for (const copy of copies.values()) ctx.log.info(`passed ${basename9(copy)}`);
      return { state: "success" };
    }
    const signer = await keys.signer(ctx.job.key);
    ctx.log.info(
      `signing ${copies.size} package(s) for ${ctx.job.repo} with key "${ctx.job.key}" (${signer.key.keyId}, ${signer.key.algorithm})`
    );
    const outcomes = await signer.signRpms([...copies.values()]);
    const refused = outcomes.filter((o2) => !o2.ok);
    for (const o2 of outcomes)
      ctx.log.info(o2.ok ? `signed ${basename9(o2.path)}` : `refused ${basename9(o2.path)}: ${o2.error.message}`);
    if (refused.length)
      return { state: "failure", reason: `${refused.length} package(s) could not be signed` };
    return { state: "success" };
  };
}
async function fileSha256(path6) {
  const hash = createHash5("sha256");
  await pipeline3(createReadStream4(path6), hash);
  return hash.digest("hex");
}

// runner/steps/test.ts
import { mkdir as mkdir12, readdir as readdir14, readFile as readFile10, writeFile as writeFile5 } from "node:fs/promises";
import { basename as basename11, join as join24 } from "node:path";
import { fileURLToPath as fileURLToPath3 } from "node:url";

// runner/steps/test-deb.ts
import { createHash as createHash6 } from "node:crypto";
import { mkdir as mkdir11, readFile as readFile9, stat as stat4 } from "node:fs/promises";
import { basename as basename10, join as join23 } from "node:path";
async function lintianStep(input, ignore) {
  const { context } = input;
  const changes = input.sources.filter((f) => f.endsWith(".changes"));
  const listed = await Promise.all(changes.map((c3) => readFile9(c3, "utf8").catch(() => "")));
  const dscs = input.sources.filter(
    (f) => f.endsWith(".dsc") && !listed.some((text) => text.includes(` ${basename10(f)}
`))
  );
  const targets = changes.length > 0 ? [...changes, ...dscs] : [...dscs, ...input.debs];
  const args = ["--fail-on", "error", "--tag-display-limit", "0"];
  if (ignore.length > 0) {
    context.log.info(`ignoring the lintian tags listed in lintian.ignore: ${ignore.join(", ")}`);
    args.push("--suppress-tags", ignore.join(","));
  }
  let errors = 0;
  const log = {
    path: context.log.path,
    info: (line) => context.log.info(line),
    output: (chunk) => {
      if (/^E: /.test(chunk)) errors++;
      context.log.output(chunk);
    }
  };
  const result = await runProcess("lintian", [...args, ...targets], {
    cwd: input.dir,
    env: input.env,
    log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout: input.timeout
  });
  if (result.exitCode === 0) return void 0;
  if (errors > 0 && !result.timedOut && !result.aborted) {
    return `lintian reported ${errors} error${errors === 1 ? "" : "s"} (the "E:" lines in the log): fix them, or add their tags to lintian.ignore in .albs.yml`;
  }
  return describeExit("lintian", result, input.timeout);
}
var MAINTAINER_SCRIPTS = ["preinst", "postinst", "prerm", "postrm", "config"];
async function installDebsStep(input) {
  const { context, dir } = input;
  const root = join23(dir, "root");
  const controlDir = join23(dir, "control");
  await mkdir11(root, { recursive: true });
  await mkdir11(controlDir, { recursive: true });
  context.log.info(
    `unpacking into the fresh root ${root} with dpkg-deb -x: dependencies are NOT resolved and maintainer scripts are NOT run (the root has no shell); each package's files are checked against its md5sums and its maintainer scripts are syntax-checked`
  );
  const options = {
    cwd: dir,
    env: input.env,
    log: context.log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout: input.timeout
  };
  const owners = /* @__PURE__ */ new Map();
  const problems = [];
  for (const deb of input.debs) {
    const name = basename10(deb);
    const unpacked = await runProcess("dpkg-deb", ["-x", deb, root], options);
    if (unpacked.exitCode !== 0) return `${name} did not unpack: ${describeExit("dpkg-deb -x", unpacked)}`;
    const control = join23(controlDir, name.replace(/\.deb$/, ""));
    const extracted = await runProcess("dpkg-deb", ["--control", deb, control], options);
    if (extracted.exitCode !== 0)
      return `${name}: its control files did not extract: ${describeExit("dpkg-deb --control", extracted)}`;
    for (const path6 of await payloadFiles(deb, input.env)) {
      const other = owners.get(path6);
      if (other !== void 0)
        problems.push(`${other} and ${name} both ship ${path6}; dpkg refuses to install them together`);
      else owners.set(path6, name);
    }
    problems.push(...await checkMd5sums(name, control, root));
    problems.push(...await checkScripts(context, name, control, options));
  }
  if (problems.length > 0) {
    for (const p of problems) context.log.info(`problem: ${p}`);
    return `${problems.length} problem${problems.length === 1 ? "" : "s"} found: ${problems.slice(0, 3).join("; ")}${problems.length > 3 ? "; \u2026 (the log has all)" : ""}`;
  }
  context.log.info(
    `unpacked ${input.debs.length} package${input.debs.length === 1 ? "" : "s"} (${owners.size} files): files and maintainer scripts are fine`
  );
  return void 0;
}
async function payloadFiles(deb, env) {
  const listing = await execa("dpkg-deb", ["--contents", deb], {
    env,
    extendEnv: false,
    stdin: "ignore",
    timeout: 12e4
  });
  return listing.stdout.split("\n").filter((line) => line !== "" && !line.startsWith("d")).map((line) => /\s\.(\/.*?)(?: -> .*| link to .*)?$/.exec(line)?.[1]).filter((path6) => path6 !== void 0);
}
async function checkMd5sums(name, control, root) {
  const text = await readFile9(join23(control, "md5sums"), "utf8").catch(() => void 0);
  if (text === void 0) return [];
  const problems = [];
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]{32})\s+(.+)$/.exec(line.trim());
    if (!match) continue;
    const [, md5, path6 = ""] = match;
    if (path6.split("/").includes("..")) {
      problems.push(`${name}: md5sums names "${path6}", outside the package's root`);
      continue;
    }
    const bytes = await readFile9(join23(root, path6)).catch(() => void 0);
    if (bytes === void 0) problems.push(`${name}: /${path6} is in md5sums but not in the package`);
    else if (createHash6("md5").update(bytes).digest("hex") !== md5)
      problems.push(`${name}: /${path6} does not match its md5sums entry`);
  }
  return problems;
}
async function checkScripts(context, name, control, options) {
  const problems = [];
  for (const script of MAINTAINER_SCRIPTS) {
    const path6 = join23(control, script);
    const info = await stat4(path6).catch(() => void 0);
    if (!info) continue;
    if ((info.mode & 73) === 0) {
      problems.push(`${name}: the ${script} script is not executable; dpkg would fail to run it`);
      continue;
    }
    const first = (await readFile9(path6, "utf8")).split("\n", 1)[0] ?? "";
    const shell = /^#!\s*\S*\/(sh|dash|bash)(?:\s|$)/.exec(first)?.[1];
    if (shell === void 0) {
      context.log.info(
        `${name}: ${script} (${first.slice(0, 60) || "no #! line"}) is not a shell script: not syntax-checked`
      );
      continue;
    }
    const checked = await runProcess(shell === "bash" ? "bash" : "sh", ["-n", path6], options);
    if (checked.exitCode !== 0)
      problems.push(`${name}: the ${script} script does not parse (${shell} -n failed)`);
    else context.log.info(`${name}: ${script} parses (${shell} -n)`);
  }
  return problems;
}

// runner/steps/test.ts
var DEBIAN_HOST_RPMLINT_NOISE = [
  "no-signature",
  "no-packager-tag",
  "no-group-tag",
  "no-buildroot-tag",
  "invalid-license",
  "manpage-not-compressed",
  "no-manual-page-for-binary",
  "unstripped-binary-or-object"
];
var testStep = async (context) => {
  const { job } = context;
  if (job.stage !== "test") {
    throw new Error(
      `testStep was given the ${job.stage} job ${job.id}: the job runner must route jobs by stage`
    );
  }
  const packages = context.inputs[job.build] ?? [];
  const deb = job.builder === "dpkg";
  const binaries = binaryPackages(packages, deb ? "deb" : "rpm");
  if (binaries.length === 0) {
    return {
      state: "failure",
      reason: `the build job ${job.build} handed over no ${deb ? ".deb" : "binary rpm"} to test (got: ${packages.map((p) => basename11(p)).join(", ") || "nothing"}): check that build's log`
    };
  }
  const packagesFile = join24(context.workspace, "packages.txt");
  await writeFile5(packagesFile, binaries.map((p) => `${p}
`).join(""));
  let copy;
  const run = {
    context,
    job,
    packages: binaries,
    packagesFile,
    sources: packages.filter((p) => deb ? /\.(?:changes|dsc)$/.test(p) : p.endsWith(".src.rpm")),
    arch: jobArch(context, deb ? "deb" : "rpm"),
    dist: typeof job.matrix.dist === "string" ? job.matrix.dist : "",
    async stepDir(index) {
      const dir = join24(context.workspace, "steps", String(index + 1));
      await mkdir12(dir, { recursive: true });
      return dir;
    },
    repoCopy() {
      copy ??= copyRepo(context);
      return copy;
    }
  };
  context.log.info(`testing ${binaries.map((p) => basename11(p)).join(", ")}`);
  for (const [index, step] of job.steps.entries()) {
    context.log.info(`=== step ${index + 1}/${job.steps.length}: ${step.name} (${step.kind}) ===`);
    let failure;
    try {
      failure = await runTestStep(run, step, index);
    } catch (error) {
      if (!(error instanceof ProcessStartError)) throw error;
      failure = error.message;
    }
    if (failure !== void 0) {
      context.log.info(`step ${step.name}: failed: ${failure}`);
      return { state: "failure", reason: `test step "${step.name}" (${step.kind}) failed: ${failure}` };
    }
    context.log.info(`step ${step.name}: passed`);
  }
  return { state: "success" };
};
async function runTestStep(run, step, index) {
  const deb = run.job.builder === "dpkg";
  switch (step.kind) {
    case "rpmlint":
      if (deb) return "rpmlint checks RPMs and this job built Debian packages: use lintian in .albs.yml";
      return rpmlint(run, step, index);
    case "lintian":
      if (!deb) return "lintian checks Debian packages and this job built RPMs: use rpmlint in .albs.yml";
      return lintianStep(await debInput(run, step, index), step.ignore);
    case "install":
      if (deb) {
        if (step.repos.length > 0)
          run.context.log.info("install.repos are dnf baseurls: not used for debs, which dpkg-deb unpacks");
        return installDebsStep(await debInput(run, step, index));
      }
      return install(run, step, index);
    case "run":
      return runCommand(run, step);
  }
}
async function debInput(run, step, index) {
  return {
    context: run.context,
    debs: run.packages,
    sources: run.sources,
    dir: await run.stepDir(index),
    env: stepEnv(run, step),
    timeout: step.timeout * 1e3
  };
}
async function rpmlint(run, step, index) {
  const { context } = run;
  const dir = await run.stepDir(index);
  const ignored = [...step.ignore];
  if (step.ignore.length > 0)
    context.log.info(`ignoring the rpmlint checks listed in rpmlint.ignore: ${step.ignore.join(", ")}`);
  if (!context.host.rpmDatabaseUsable) {
    ignored.push(...DEBIAN_HOST_RPMLINT_NOISE);
    context.log.info(
      `also ignoring, on this Debian-like host, checks that only report the host's rpm setup: ${DEBIAN_HOST_RPMLINT_NOISE.join(", ")}`
    );
  }
  const config = join24(dir, "rpmlint.toml");
  await writeFile5(
    config,
    `Filters = [${[...new Set(ignored)].map((c3) => JSON.stringify(checkFilter(c3))).join(", ")}]
`
  );
  const timeout = step.timeout * 1e3;
  const result = await runProcess("rpmlint", ["-c", config, ...run.packages, ...run.sources], {
    cwd: dir,
    env: stepEnv(run, step),
    log: context.log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout
  });
  if (result.exitCode === 0) return void 0;
  if (result.exitCode === 64 || result.exitCode === 66) {
    return `rpmlint reported errors (exit ${result.exitCode}; its findings are in the log): fix them, or add the check names to rpmlint.ignore in .albs.yml`;
  }
  return describeExit("rpmlint", result, timeout);
}
function checkFilter(check) {
  return ` [EWI]: ${check.replace(/[^A-Za-z0-9_]/g, "\\$&")}(?: |$)`;
}
async function install(run, step, index) {
  const { context } = run;
  const dir = await run.stepDir(index);
  const root = join24(dir, "root");
  await mkdir12(root, { recursive: true });
  const home = join24(dir, "home");
  await mkdir12(home, { recursive: true });
  await writeFile5(join24(home, ".rpmmacros"), "%_dbpath /var/lib/rpm\n");
  const env = { ...stepEnv(run, step), HOME: home };
  const timeout = step.timeout * 1e3;
  const options = {
    cwd: dir,
    env,
    log: context.log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout
  };
  let result;
  let tool;
  if (step.repos.length > 0) {
    const reposDir = join24(dir, "repos.d");
    await mkdir12(reposDir, { recursive: true });
    for (const [i2, baseurl] of step.repos.entries()) {
      const repo = [
        `[albs-${i2 + 1}]`,
        `name=install.repos ${i2 + 1}`,
        `baseurl=${baseurl}`,
        "enabled=1",
        `gpgcheck=${step.gpgcheck ? 1 : 0}`,
        ...step.gpgkeys.length > 0 ? [`gpgkey=${step.gpgkeys.join(" ")}`] : [],
        ""
      ];
      await writeFile5(join24(reposDir, `albs-${i2 + 1}.repo`), repo.join("\n"));
    }
    if (!step.gpgcheck) {
      context.log.info(
        "install.gpgcheck is false: the signatures of packages from install.repos are NOT checked"
      );
    }
    const release = releaseVersion(run.dist) ?? (context.host.rpmDatabaseUsable ? void 0 : await hostRelease());
    context.log.info(
      `installing into the fresh root ${root} with dnf, dependencies from install.repos: ${step.repos.join(", ")}`
    );
    const downloads = join24(dir, "downloads");
    const dnf = (extra, packages) => [
      "--installroot",
      root,
      ...release ? ["--releasever", release] : [],
      `--setopt=reposdir=${reposDir}`,
      // Relative to the installroot: the metadata cache stays inside the fresh root.
      "--setopt=cachedir=/var/cache/dnf",
      "-y",
      ...extra,
      "install",
      ...packages
    ];
    const urls = [...step.repos, ...step.gpgkeys];
    const local = urls.flatMap((url) => url.startsWith("file://") ? [fileURLToPath3(url)] : []);
    const remote = urls.some((url) => !url.startsWith("file://"));
    tool = "dnf install --downloadonly";
    result = await runProcess("dnf", dnf(["--downloadonly", `--destdir=${downloads}`], run.packages), {
      ...options,
      asRoot: true,
      network: remote && context.sandbox !== null,
      readOnly: local
    });
    if (result.exitCode === 0) {
      const fetched = (await readdir14(downloads).catch(() => [])).filter((f) => f.endsWith(".rpm")).map((f) => join24(downloads, f));
      tool = "dnf install";
      result = await runProcess("dnf", dnf(["--disablerepo=*"], [...run.packages, ...fetched]), {
        ...options,
        asRoot: true,
        readOnly: local
      });
    }
  } else {
    context.log.info(
      `installing into the fresh root ${root} with rpm -i --nodeps --noscripts: no install.repos are configured, so dependencies were NOT resolved and scriptlets NOT run (the root has no shell); list the distribution's repositories in install.repos to install with dnf`
    );
    tool = "rpm -i";
    result = await runProcess("rpm", ["--root", root, "-i", "--nodeps", "--noscripts", ...run.packages], {
      ...options,
      asRoot: true
    });
  }
  if (result.exitCode !== 0) return `the packages did not install: ${describeExit(tool, result, timeout)}`;
  context.log.info(`installed; the root now holds:`);
  await runProcess("rpm", ["--root", root, "-qa"], { ...options, asRoot: true, timeout: 6e4 });
  return void 0;
}
async function runCommand(run, step) {
  const { context } = run;
  const cwd = await run.repoCopy();
  return runShell(context, step.run, {
    cwd,
    env: stepEnv(run, step),
    network: step.network,
    timeoutMs: step.timeout * 1e3
  });
}
function stepEnv(run, step) {
  return cleanEnv(run.context.workspace, {
    ...run.job.env,
    ...step.env,
    ALBS_PACKAGES: run.packages.join(" "),
    ALBS_PACKAGES_FILE: run.packagesFile,
    ALBS_ARCH: run.arch,
    ALBS_DIST: run.dist,
    ALBS_WORKSPACE: run.context.workspace
  });
}
function releaseVersion(dist) {
  return /-(\d+(?:\.\d+)?)$/.exec(dist)?.[1];
}
async function hostRelease() {
  const text = await readFile10("/etc/os-release", "utf8").catch(() => "");
  return /^VERSION_ID="?([^"\n]+)"?$/m.exec(text)?.[1];
}
async function copyRepo(context) {
  const dest = join24(context.workspace, "src");
  await copyTree(context.repoDir, dest, { leaveOut: await runnerOutputs(context) });
  return dest;
}

// src/queue/job-queue.ts
function canTake(labels, job) {
  return job.runsOn.every((label) => labels.includes(label));
}

// src/queue/memory/memory-job-queue.ts
var MemoryJobQueue = class {
  pending = [];
  seen = /* @__PURE__ */ new Set();
  running = /* @__PURE__ */ new Map();
  runners = [];
  listeners = /* @__PURE__ */ new Set();
  startListeners = /* @__PURE__ */ new Set();
  closed = false;
  async enqueue(item) {
    const key = `${item.pipelineId}\0${item.job.id}\0${item.attempt ?? 1}`;
    if (this.closed || this.seen.has(key)) return;
    this.seen.add(key);
    this.pending.push(item);
    this.dispatch();
  }
  process(labels, concurrency, handler) {
    const runner = { labels, concurrency, running: 0, handler, stopped: false, idle: /* @__PURE__ */ new Set() };
    this.runners.push(runner);
    this.dispatch();
    return {
      stop: async () => {
        runner.stopped = true;
        if (runner.running > 0) await new Promise((resolve12) => runner.idle.add(resolve12));
      }
    };
  }
  onStart(listener) {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }
  onResult(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async cancel(pipelineId, jobId, reason) {
    const index = this.pending.findIndex((p) => p.pipelineId === pipelineId && p.job.id === jobId);
    if (index >= 0) {
      this.pending.splice(index, 1);
      const result = {
        pipelineId,
        jobId,
        outcome: { state: "cancelled", reason },
        artifacts: [],
        durationMs: 0
      };
      for (const listener of this.listeners) listener(result);
      return;
    }
    this.running.get(`${pipelineId}\0${jobId}`)?.abort(new Error(reason));
  }
  async close() {
    this.closed = true;
    this.pending.length = 0;
    for (const controller of this.running.values()) controller.abort(new Error("the queue was closed"));
  }
  /** Hand pending jobs, in queue order, to runners with room whose labels fit. */
  dispatch() {
    for (let i2 = 0; i2 < this.pending.length; ) {
      const item = this.pending[i2];
      const runner = this.runners.find(
        (r) => !r.stopped && r.running < r.concurrency && canTake(r.labels, item.job)
      );
      if (!runner) {
        i2++;
        continue;
      }
      this.pending.splice(i2, 1);
      this.start(runner, item);
    }
  }
  start(runner, item) {
    const key = `${item.pipelineId}\0${item.job.id}`;
    const controller = new AbortController();
    this.running.set(key, controller);
    runner.running++;
    for (const listener of this.startListeners) listener(item.pipelineId, item.job.id);
    const started = performance.now();
    runner.handler(item, controller.signal).catch(
      (error) => ({
        pipelineId: item.pipelineId,
        jobId: item.job.id,
        outcome: {
          state: "failure",
          reason: `the runner failed: ${error instanceof Error ? error.message : String(error)}`
        },
        artifacts: [],
        durationMs: performance.now() - started
      })
    ).then((result) => {
      this.running.delete(key);
      runner.running--;
      if (runner.running === 0) {
        for (const resolve12 of runner.idle) resolve12();
        runner.idle.clear();
      }
      for (const listener of this.listeners) listener(result);
      this.dispatch();
    });
  }
};

// src/pipeline/pipeline-state.ts
var FINISHED = ["success", "failure", "skipped", "excluded", "cancelled"];
var status = (state, reason = null, missingLabels = null) => ({
  state,
  reason,
  missingLabels
});
function startPipeline(plan, missingLabels) {
  const jobs = {};
  for (const job of plan.jobs) {
    const missing = job.runsOn.length ? missingLabels(job) : [];
    jobs[job.id] = missing.length ? status("skipped", `no runner with labels [${missing.join(", ")}]`, missing) : status("pending");
  }
  return settle({ plan, jobs, cancelled: null });
}
function isFinished(state) {
  return Object.values(state.jobs).every((j) => FINISHED.includes(j.state));
}
function readyJobs(state) {
  if (state.cancelled) return [];
  const running2 = Object.values(state.jobs).filter(
    (j) => j.state === "running" || j.state === "queued"
  ).length;
  const room = state.plan.maxParallel === null ? Number.POSITIVE_INFINITY : state.plan.maxParallel - running2;
  const ready = state.plan.jobs.filter(
    (job) => state.jobs[job.id]?.state === "pending" && job.needs.every((n2) => FINISHED.includes(state.jobs[n2].state))
  );
  return ready.slice(0, Math.max(0, room));
}
function markQueued(state, id) {
  return withJob(state, id, status("queued"));
}
function markRunning(state, id) {
  if (state.jobs[id]?.state !== "queued" && state.jobs[id]?.state !== "pending") return state;
  return withJob(state, id, status("running"));
}
function finishJob(state, id, outcome) {
  if (FINISHED.includes(state.jobs[id]?.state ?? "pending")) return state;
  const reason = outcome.state === "success" ? null : outcome.reason;
  let next = withJob(state, id, status(outcome.state, reason));
  if (outcome.state === "failure" && state.plan.failFast && !next.cancelled) {
    next = cancel(next, `fail-fast: ${id} failed`);
  }
  return settle(next);
}
function cancel(state, reason) {
  const jobs = { ...state.jobs };
  for (const [id, job] of Object.entries(jobs)) {
    if (job.state === "pending") jobs[id] = status("cancelled", reason);
  }
  return { ...state, jobs, cancelled: state.cancelled ?? reason };
}
function withJob(state, id, job) {
  if (!(id in state.jobs)) throw new Error(`pipeline has no job "${id}"`);
  return { ...state, jobs: { ...state.jobs, [id]: job } };
}
function settle(state) {
  const jobs = { ...state.jobs };
  let changed = true;
  while (changed) {
    changed = false;
    for (const job of state.plan.jobs) {
      if (jobs[job.id]?.state !== "pending") continue;
      const needs = job.needs.map((n2) => ({ id: n2, ...jobs[n2] }));
      if (!needs.every((n2) => FINISHED.includes(n2.state))) continue;
      const next = settleJob(job, needs);
      if (next) {
        jobs[job.id] = next;
        changed = true;
      }
    }
  }
  return { ...state, jobs };
}
function settleJob(job, needs) {
  const bad = needs.find(
    (n2) => n2.state === "failure" || n2.state === "cancelled" || n2.state === "skipped" && n2.missingLabels === null
  );
  if (bad) {
    const verb = bad.state === "failure" ? "failed" : bad.state === "cancelled" ? "was cancelled" : "was skipped";
    return status(bad.state === "cancelled" ? "cancelled" : "skipped", `needs ${bad.id}, which ${verb}`);
  }
  if (needs.every((n2) => n2.state === "success")) return null;
  if (job.stage === "test") {
    const build = needs[0];
    return status(
      build.state,
      build.state === "excluded" ? build.reason : `needs ${build.id}: ${build.reason}`,
      build.missingLabels
    );
  }
  if (needs.some((n2) => n2.state === "success")) return null;
  const missing = [...new Set(needs.flatMap((n2) => n2.missingLabels ?? []))];
  const allExcluded = needs.every((n2) => n2.state === "excluded");
  return status(
    allExcluded ? "excluded" : "skipped",
    allExcluded ? "every build it needs was excluded" : `nothing to ${job.stage}: every job it needs was skipped or excluded`,
    missing.length ? missing : null
  );
}

// src/scheduler/drive-pipeline.ts
function drivePipeline(options) {
  const { queue, plan, pipelineId } = options;
  const results = { ...options.from?.results };
  const inFlight2 = /* @__PURE__ */ new Set();
  let state = options.from?.state ?? startPipeline(plan, options.missingLabels);
  return new Promise((resolve12) => {
    const changed = (next, first) => {
      const before = state;
      state = next;
      const ids = first === void 0 ? plan.jobs.map((j) => j.id) : [first, ...plan.jobs.map((j) => j.id)];
      for (const id of new Set(ids)) if (before.jobs[id] !== next.jobs[id]) options.onChange?.(state, id);
    };
    const stopRunning = (reason) => {
      for (const id of inFlight2) void queue.cancel(pipelineId, id, reason);
    };
    const advance = () => {
      for (const job of readyJobs(state)) {
        changed(markQueued(state, job.id), job.id);
        inFlight2.add(job.id);
        void queue.enqueue({
          planVersion: plan.version,
          pipelineId,
          trigger: plan.trigger,
          job,
          inputs: inputsOf(job, results),
          ...options.attempt !== void 0 ? { attempt: options.attempt } : {}
        });
      }
      if (isFinished(state) && inFlight2.size === 0) {
        unsubscribe();
        offStart();
        options.signal?.removeEventListener("abort", onAbort);
        resolve12({ state, results });
      }
    };
    const offStart = queue.onStart((id, jobId) => {
      if (id !== pipelineId || !inFlight2.has(jobId)) return;
      const next = markRunning(state, jobId);
      if (next !== state) changed(next, jobId);
    });
    const unsubscribe = queue.onResult((result) => {
      if (result.pipelineId !== pipelineId || !inFlight2.has(result.jobId)) return;
      inFlight2.delete(result.jobId);
      results[result.jobId] = result;
      if (!FINISHED.includes(state.jobs[result.jobId].state)) {
        const wasCancelled = state.cancelled;
        changed(finishJob(state, result.jobId, result.outcome), result.jobId);
        if (!wasCancelled && state.cancelled) stopRunning(state.cancelled);
      }
      advance();
    });
    const onAbort = () => {
      const reason = options.signal?.reason instanceof Error ? options.signal.reason.message : "cancelled";
      changed(cancel(state, reason));
      stopRunning(reason);
      advance();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    for (const id of Object.keys(state.jobs))
      if (state.jobs[id].state !== "pending") options.onChange?.(state, id);
    advance();
  });
}
function inputSources(job) {
  return job.stage === "test" ? [job.build] : job.stage === "sign" ? job.builds : job.stage === "publish" ? [job.sign] : [];
}
function inputsOf(job, results) {
  const inputs = {};
  for (const id of inputSources(job)) {
    const result = results[id];
    if (result?.outcome.state === "success") inputs[id] = result.artifacts;
  }
  return inputs;
}

// src/cli/local-key-ring.ts
import { access } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join as join25 } from "node:path";
function localKeyRing(options) {
  const open2 = async (name) => {
    const { OpenpgpSigner, readKeyMaterial } = await import("./chunk-MJCJYPA4.js");
    const keyFile = await keyFileFor(name, options);
    const material = await readKeyMaterial({ keyFile, passphraseFile: options.passphraseFile }, options.env);
    return OpenpgpSigner.create(material, { threads: availableParallelism() });
  };
  return keyRingOver(open2);
}
function keyRingOver(open2) {
  const signers = /* @__PURE__ */ new Map();
  const signer = (name) => {
    let found = signers.get(name);
    if (!found) {
      found = open2(name);
      found.catch(() => signers.delete(name));
      signers.set(name, found);
    }
    return found;
  };
  return {
    signer,
    publicKey: async (name) => (await signer(name)).key.publicKeyArmored,
    close: async () => {
      const all = await Promise.allSettled(signers.values());
      await Promise.all(all.map((s) => s.status === "fulfilled" ? s.value.close() : void 0));
    }
  };
}
async function keyFileFor(name, options) {
  if (options.keyFile !== void 0) return options.keyFile;
  if (options.env[KEY_ENV]) return void 0;
  const keysDir = options.env.ALBS_KEYS_DIR;
  if (keysDir) {
    const file2 = join25(keysDir, `${name}.asc`);
    const exists3 = await access(file2).then(
      () => true,
      () => false
    );
    if (!exists3) {
      throw new SigningKeyError(
        `sign.key "${name}" resolves to ${file2} (ALBS_KEYS_DIR), which does not exist; put the armored private key there or run with --key FILE`
      );
    }
    return file2;
  }
  const { generateSigningKey, PRIVATE_KEY_FILE } = await import("./chunk-JD6K7G5U.js");
  const dir = join25(options.throwawayDir, name);
  const file = join25(dir, PRIVATE_KEY_FILE);
  const exists2 = await access(file).then(
    () => true,
    () => false
  );
  if (!exists2) {
    await generateSigningKey(dir, {
      name: `albs-ci throwaway key ${name}`,
      email: `${name}@throwaway.albs-ci.invalid`,
      type: "ed25519",
      passphrase: void 0
    });
  }
  options.warn(
    `WARNING: no signing key given for sign.key "${name}": signing with a THROWAWAY key kept in ${dir}. Packages signed with it are fine for a try, not for users. Give --key FILE or put NAME.asc in ALBS_KEYS_DIR.`
  );
  return file;
}

// src/cli/out-lock.ts
import { rm as rm8 } from "node:fs/promises";
import { join as join26 } from "node:path";
var ATTEMPTS = 20;
async function lockOut(out, say) {
  const lock = join26(out, ".lock");
  const me = thisProcess();
  const { staged, token } = await stageLock(lock, me);
  const notALock = (cause) => new CliError(`${lock} is not the lock directory albs run makes; remove it and run again`, EXIT.usage, {
    cause
  });
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (await renameInto(staged, lock, notALock)) return held(lock, token);
      const holder = await readOwner(lock, (excerpt) => `its content is ${excerpt}`);
      if (holder === null) continue;
      if ("unreadable" in holder) {
        throw new CliError(
          `--out ${out} may be in use by another albs run: its lock ${lock} holds ${holder.name}, which does not say who holds it (${holder.unreadable}); if no albs run uses ${out}, remove ${lock}`,
          EXIT.usage
        );
      }
      const { pid, host, since } = holder.owner;
      const gone = host === me.host ? whyGone(holder.owner) : null;
      if (gone === null) {
        const where = host === me.host ? "" : ` on ${host}`;
        throw new CliError(
          `--out ${out} is in use by another albs run (process ${pid}${where}, since ${since}): wait for it to end, or give this run another --out${where ? `; if no albs run uses it on ${host}, remove ${lock}` : ""}`,
          EXIT.usage
        );
      }
      say(`--out ${out}: taking over the lock of process ${pid} (since ${since}), which ${gone}`);
      await removeOwner(lock, holder.name);
    }
    throw new CliError(
      `--out ${out}: gave up after ${ATTEMPTS} tries to take its lock ${lock}, which kept being taken and released; is another albs run starting on it? Try again, or give another --out`,
      EXIT.usage
    );
  } finally {
    await rm8(staged, { recursive: true, force: true });
  }
}
function held(lock, token) {
  const releaseSync = () => releaseLockSync(lock, token);
  process.once("exit", releaseSync);
  return async () => {
    process.off("exit", releaseSync);
    await releaseLock(lock, token);
  };
}

// src/cli/progress.ts
var import_pino = __toESM(require_pino(), 1);
var COLOURS = {
  pending: "2",
  queued: "2",
  running: "36",
  success: "32",
  failure: "31",
  skipped: "33",
  excluded: "35",
  cancelled: "33"
};
function createProgress(options) {
  if (options.format === "json") return jsonProgress(options);
  return options.tty && !options.verbose ? liveTable(options) : lineProgress(options);
}
var RunTimes = class {
  started = /* @__PURE__ */ new Map();
  ended = /* @__PURE__ */ new Map();
  change(jobId, state) {
    if (state === "running") {
      if (!this.started.has(jobId)) this.started.set(jobId, performance.now());
    } else if (this.started.has(jobId) && !this.ended.has(jobId)) {
      this.ended.set(jobId, performance.now());
    }
  }
  ran(jobId) {
    return this.started.has(jobId);
  }
  /** Milliseconds the job ran (so far, while it runs); undefined when it never started. */
  took(jobId) {
    const start = this.started.get(jobId);
    return start === void 0 ? void 0 : (this.ended.get(jobId) ?? performance.now()) - start;
  }
};
function notStarted(state, ran) {
  return state === "cancelled" && !ran ? "before it started" : "";
}
function jsonProgress(options) {
  const logger = (0, import_pino.pino)(
    { base: null, timestamp: import_pino.pino.stdTimeFunctions.isoTime },
    options.out
  );
  const times = new RunTimes();
  return {
    change: (state, jobId) => {
      const job = state.jobs[jobId];
      times.change(jobId, job.state);
      const took = job.state === "running" ? void 0 : times.took(jobId);
      const before = notStarted(job.state, times.ran(jobId));
      logger.info(
        {
          job: jobId,
          state: job.state,
          reason: job.reason ?? void 0,
          durationMs: took === void 0 ? void 0 : Math.round(took)
        },
        `${jobId}: ${job.state}${before ? ` ${before}` : ""}`
      );
    },
    log: (jobId, line) => {
      if (options.verbose) logger.info({ job: jobId, log: line }, line);
    },
    say: (message, level = "info") => logger[level](message),
    stop: () => logger.flush()
  };
}
function lineProgress(options) {
  const times = new RunTimes();
  const write = (text) => options.out.write(`${text}
`);
  return {
    change: (state, jobId) => {
      const job = state.jobs[jobId];
      if (job.state === "queued") return;
      const ranBefore = times.ran(jobId);
      times.change(jobId, job.state);
      if (job.state === "running" && ranBefore) return;
      const ms = job.state === "running" ? void 0 : times.took(jobId);
      const took = ms === void 0 ? "" : ` in ${seconds2(ms)}`;
      const before = notStarted(job.state, times.ran(jobId));
      write(
        `${jobId}: ${job.state}${before ? ` ${before}` : ""}${took}${job.reason ? `: ${job.reason}` : ""}`
      );
    },
    log: (jobId, line) => {
      if (options.verbose) write(`${jobId} | ${line}`);
    },
    say: (message) => write(message),
    stop: () => {
    }
  };
}
function liveTable(options) {
  const out = options.out;
  let state;
  const times = new RunTimes();
  const lastLine = /* @__PURE__ */ new Map();
  let drawn = 0;
  let stopped = false;
  let timer;
  const draw = () => {
    if (!state) return;
    const width = options.columns || out.columns || 100;
    const ids = state.plan.jobs.map((j) => j.id);
    const idWidth = Math.min(Math.max(...ids.map((id) => id.length), 3), 40);
    const rows = ids.map((id) => {
      const job = state.jobs[id];
      const ms = times.took(id);
      const took = ms === void 0 ? "" : seconds2(ms);
      const before = notStarted(job.state, times.ran(id));
      const detail = job.state === "running" ? lastLine.get(id) ?? "" : [before, job.reason ?? lastLine.get(id) ?? ""].filter(Boolean).join(": ");
      const plain = `${id.padEnd(idWidth)}  ${job.state.padEnd(9)}  ${took.padStart(7)}  `;
      const room = Math.max(0, width - plain.length - 1);
      const label = `\x1B[${COLOURS[job.state]}m${job.state.padEnd(9)}\x1B[0m`;
      return `${id.padEnd(idWidth)}  ${label}  ${took.padStart(7)}  ${detail.slice(0, room)}`;
    });
    const up = drawn ? `\x1B[${drawn}A` : "";
    out.write(`${up}\r\x1B[J${rows.join("\n")}
`);
    drawn = rows.length;
  };
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = void 0;
      draw();
    }, 100);
  };
  const tick = setInterval(draw, 1e3);
  tick.unref();
  return {
    change: (next, jobId) => {
      state = next;
      times.change(jobId, next.jobs[jobId].state);
      schedule();
    },
    log: (jobId, line) => {
      const text = stripControl(line).replace(/\s+/g, " ").trim();
      if (text) lastLine.set(jobId, text);
      schedule();
    },
    // Messages scroll above the table: clear it, print, draw it again below.
    say: (message) => {
      out.write(`${drawn ? `\x1B[${drawn}A` : ""}\r\x1B[J${message}
`);
      drawn = 0;
      if (!stopped) draw();
    },
    stop: () => {
      clearInterval(tick);
      if (timer) clearTimeout(timer);
      timer = void 0;
      draw();
      drawn = 0;
      stopped = true;
    }
  };
}
function stripControl(line) {
  let out = "";
  for (let i2 = 0; i2 < line.length; i2++) {
    const code = line.charCodeAt(i2);
    if (code === 27) {
      const kind = line[i2 + 1];
      if (kind === "[") {
        i2 += 2;
        while (i2 < line.length && !/[@-~]/.test(line[i2])) i2++;
      } else if (kind === "]") {
        i2 += 2;
        while (i2 < line.length && line.charCodeAt(i2) !== 7 && !(line.charCodeAt(i2) === 27 && line[i2 + 1] === "\\"))
          i2++;
        if (line.charCodeAt(i2) === 27) i2++;
      } else {
        i2++;
      }
      continue;
    }
    if (code < 32 && code !== 9 || code === 127) continue;
    out += line[i2];
  }
  return out;
}
function seconds2(ms) {
  const s = ms / 1e3;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} m ${Math.round(s % 60)} s`;
}

// src/cli/resolve-trigger.ts
import { realpath as realpath2 } from "node:fs/promises";
async function git(dir, args) {
  const result = await execa("git", ["-C", dir, ...args], { reject: false, stdin: "ignore" });
  return result.exitCode === 0 ? result.stdout.trim() : void 0;
}
async function gitHead(dir) {
  const top = await git(dir, ["rev-parse", "--show-toplevel"]);
  if (top === void 0) return void 0;
  const [realTop, realDir] = await Promise.all([realpath2(top), realpath2(dir)]);
  if (realTop !== realDir) return void 0;
  const [tags, branch] = await Promise.all([
    git(dir, ["tag", "--points-at", "HEAD", "--sort=refname"]),
    git(dir, ["symbolic-ref", "--short", "-q", "HEAD"])
  ]);
  return { tag: tags?.split("\n").find((t) => t !== ""), branch: branch || void 0 };
}
async function resolveTrigger(dir, options) {
  const { event, ref } = options;
  if (event !== void 0 && !EVENT_KINDS.includes(event)) {
    throw new CliError(`--event is "${event}"; expected one of ${EVENT_KINDS.join(", ")}`, EXIT.usage);
  }
  if (ref !== void 0 && ref.trim() === "")
    throw new CliError("--ref is empty; give a tag or branch name", EXIT.usage);
  if (event !== void 0 && ref !== void 0) return { event, ref };
  if (event === void 0 && ref !== void 0) {
    const kind = ref.startsWith("refs/tags/") ? "tag" : ref.startsWith("refs/pull/") ? "pull_request" : "branch";
    return { event: kind, ref };
  }
  const head = await gitHead(dir);
  if (event === "tag") {
    if (head?.tag === void 0)
      throw new CliError("--event tag needs --ref TAG: HEAD is not at a tag", EXIT.usage);
    return { event: "tag", ref: head.tag };
  }
  if (event === "pull_request") return { event, ref: head?.branch ?? "HEAD" };
  if (event === void 0 && head?.tag !== void 0) return { event: "tag", ref: head.tag };
  if (head !== void 0 && head.branch === void 0) {
    throw new CliError(
      "HEAD is detached and not at a tag, so albs cannot tell what this build is: give --event and --ref (e.g. --event pull_request --ref my-fix, or --event branch --ref main)",
      EXIT.usage
    );
  }
  return { event: "branch", ref: head?.branch ?? "main" };
}

// src/cli/stop-on-signals.ts
import { constants as constants6 } from "node:os";
var STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
var REASONS = {
  SIGINT: "interrupted (Ctrl-C)",
  SIGTERM: "stopped by SIGTERM",
  SIGHUP: "stopped by SIGHUP (its terminal was closed)"
};
function stopOnSignals(options) {
  const controller = new AbortController();
  let stoppedBy;
  let signals2 = 0;
  let crashed = false;
  let deadline;
  const grace = `${options.graceMs / 1e3} s`;
  const code = () => {
    if (stoppedBy) return 128 + constants6.signals[stoppedBy];
    return crashed ? 1 : void 0;
  };
  const onSignal = (name) => {
    signals2++;
    if (signals2 === 1) {
      stoppedBy = name;
      options.say(
        `${name}: stopping every running job (SIGTERM, then SIGKILL after ${grace}); send it twice more to leave at once`
      );
      controller.abort(new Error(REASONS[name]));
    } else if (signals2 === 2) {
      options.say(`${name}: still stopping; every command gets SIGKILL at most ${grace} after its SIGTERM`);
    } else {
      process.exit(code());
    }
  };
  const handlers = STOP_SIGNALS.map((name) => [name, () => onSignal(name)]);
  for (const [name, handler] of handlers) process.on(name, handler);
  const onCrash = (error) => {
    if (crashed) return;
    crashed = true;
    process.exitCode = 1;
    try {
      process.stderr.write(
        `albs: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}
`
      );
      options.say(`stopping every running job (SIGTERM, then SIGKILL after ${grace})`);
    } catch {
    }
    controller.abort(
      new Error(`albs failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
    );
    deadline = setTimeout(() => process.exit(code()), options.graceMs + 5e3);
    deadline.unref();
  };
  process.on("uncaughtException", onCrash);
  return {
    signal: controller.signal,
    exitCode: code,
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
      process.off("uncaughtException", onCrash);
      if (deadline) clearTimeout(deadline);
    }
  };
}

// src/cli/run-pipeline.ts
var KILL_GRACE_MS = 5e3;
async function runPipeline(dir, options) {
  const { found, result } = await readConfig(dir);
  if (result.config === null) return EXIT.usage;
  const hostFacts = detectHost(archLabels(options.arch));
  const trigger = await resolveTrigger(found.dir, options);
  const plan = buildPlan(result.config, trigger);
  const progress = createProgress({
    format: options.logFormat,
    verbose: options.verbose === true,
    tty: process.stdout.isTTY === true,
    out: process.stdout
  });
  if (plan.skipped) {
    progress.say(`${trigger.event} ${trigger.ref}: no pipeline: ${plan.skipped.reason}`);
    progress.stop();
    return EXIT.ok;
  }
  const out = resolve11(options.out ?? join27(found.dir, ".albs", "out"));
  const sandbox = sandboxSetup(options, out, (message) => progress.say(message, "warn"));
  const host = await hostFacts;
  const dirs = jobDirs(out);
  await mkdir13(out, { recursive: true }).catch((error) => {
    throw new CliError(
      `--out ${out}: cannot create it (${error.code ?? error.message}); give a writable directory`,
      EXIT.usage,
      {
        cause: error
      }
    );
  });
  const releaseOut = await lockOut(out, (message) => progress.say(message, "warn"));
  const keys = localKeyRing({
    keyFile: options.key,
    passphraseFile: options.passphraseFile,
    env: keyEnv(),
    throwawayDir: join27(out, "keys"),
    warn: (message) => progress.say(message, "warn")
  });
  const keyNames = new Set(plan.jobs.flatMap((job) => job.stage === "sign" ? [job.key] : []));
  for (const name of keyNames) {
    await keys.signer(name).catch(async (error) => {
      await keys.close();
      throw new CliError(error instanceof Error ? error.message : String(error), EXIT.usage, {
        cause: error
      });
    });
  }
  const queue = new MemoryJobQueue();
  const processor = queue.process(
    host.labels,
    options.jobs,
    jobRunner({
      dirs,
      repoDir: resolve11(found.dir),
      host,
      steps: {
        build: buildStep,
        test: testStep,
        sign: signStep(keys),
        publish: publishStep({ reposDir: join27(out, "repos"), keep: options.keep, keys })
      },
      onLogLine: (jobId, line) => progress.log(jobId, line),
      sandbox
    })
  );
  const stop = stopOnSignals({ graceMs: KILL_GRACE_MS, say: (message) => progress.say(message, "warn") });
  if (!host.rpmDatabaseUsable) {
    progress.say(`this host's rpm database is empty (not an RPM distribution): builds run with --nodeps`);
  }
  const started = /* @__PURE__ */ new Date();
  const pipelineId = randomUUID2();
  const ran = /* @__PURE__ */ new Set();
  let outcome;
  try {
    outcome = await drivePipeline({
      queue,
      plan,
      pipelineId,
      missingLabels: (job) => job.runsOn.filter((label) => !host.labels.includes(label)),
      onChange: (state, jobId) => {
        if (state.jobs[jobId]?.state === "running") ran.add(jobId);
        progress.change(state, jobId);
      },
      signal: stop.signal
    });
  } finally {
    await processor.stop();
    await queue.close();
    await keys.close();
  }
  progress.stop();
  const summary = pipelineSummary(pipelineId, plan, outcome.state, outcome.results, ran, out, started);
  await writeFileAtomically(join27(out, "pipeline.json"), `${JSON.stringify(summary, null, 2)}
`);
  for (const line of summaryLines(summary, out)) progress.say(line);
  await releaseOut();
  stop.dispose();
  return stop.exitCode() ?? (summary.result === "success" ? EXIT.ok : EXIT.failed);
}
function sandboxSetup(options, out, warn) {
  if (options.sandbox === false) {
    warn(
      "--no-sandbox: builds and tests run unsandboxed, as this user, where the package's own code can read the signing keys and write the published repositories; use it only for packages you trust"
    );
    return null;
  }
  let bwrap;
  try {
    bwrap = checkSandbox(process.env.PATH ?? "");
  } catch (error) {
    if (error instanceof SandboxUnavailableError)
      throw new CliError(error.message, EXIT.usage, { cause: error });
    throw error;
  }
  const keysDir = keyEnv().ALBS_KEYS_DIR;
  const hidden2 = [
    out,
    ...options.key ? [resolve11(options.key)] : [],
    ...keysDir ? [resolve11(keysDir)] : []
  ];
  return { bwrap, hidden: hidden2, uids: new BuildUidPool() };
}
function archLabels(arches) {
  if (!arches) return void 0;
  const host = hostArches();
  const native = [host.rpm, host.deb];
  for (const a2 of arches) {
    if (!native.includes(a2) && a2 !== "noarch" && a2 !== "all") {
      throw new CliError(
        `--arch ${a2}: this host is ${host.rpm} and albs run never cross-builds (a package built for ${a2} here would hold ${host.rpm} code); run it on a ${a2} host`,
        EXIT.usage
      );
    }
  }
  const names = arches.flatMap((a2) => native.includes(a2) ? native : [a2]);
  return [.../* @__PURE__ */ new Set([...names, "noarch", "all"])];
}
function pipelineSummary(id, plan, state, results, ran, out, started) {
  const states = Object.values(state.jobs).map((j) => j.state);
  const result = states.includes("failure") ? "failure" : state.cancelled ? "cancelled" : "success";
  const missing = /* @__PURE__ */ new Map();
  for (const job of plan.jobs) {
    const labels = state.jobs[job.id]?.missingLabels;
    if (!labels?.length || job.stage !== "build") continue;
    const key = labels.join(", ");
    missing.set(key, [...missing.get(key) ?? [], job.id]);
  }
  return {
    version: 1,
    id,
    trigger: plan.trigger,
    result,
    startedAt: started.toISOString(),
    finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
    jobs: plan.jobs.map((job) => {
      const status2 = state.jobs[job.id];
      const result2 = ran.has(job.id) ? results[job.id] : void 0;
      return {
        id: job.id,
        name: job.name,
        stage: job.stage,
        state: status2.state,
        reason: status2.reason,
        durationMs: result2 ? Math.round(result2.durationMs) : null,
        artifacts: (result2?.artifacts ?? []).map((a2) => relative8(out, a2)),
        log: result2 ? `logs/${job.id}.log` : null
      };
    }),
    missing: [...missing].map(([labels, jobs]) => ({ labels: labels.split(", "), jobs })),
    repos: plan.jobs.filter((job) => job.stage === "publish" && state.jobs[job.id]?.state === "success").map((job) => {
      const repo = job.stage === "publish" ? job.repo : "";
      const family = job.stage === "publish" ? job.family : "rpm";
      const file = family === "deb" ? `${repo}.sources` : `${repo}.repo`;
      return { repo, family, path: `repos/${repo}`, repoFile: `repos/${repo}/${file}` };
    })
  };
}
function summaryLines(summary, out) {
  const counts = /* @__PURE__ */ new Map();
  for (const job of summary.jobs) counts.set(job.state, (counts.get(job.state) ?? 0) + 1);
  const total = summary.jobs.reduce((sum, j) => sum + (j.durationMs ?? 0), 0);
  const lines = [
    `pipeline ${summary.result}: ${[...counts].map(([s, n2]) => `${n2} ${s}`).join(", ")} (${seconds2(total)} of job time)`
  ];
  for (const job of summary.jobs.filter((j) => j.state === "failure")) {
    lines.push(`  ${job.id} failed: ${job.reason}; log: ${join27(out, job.log ?? "")}`);
  }
  for (const gap of summary.missing) {
    lines.push(`  no runner here with labels [${gap.labels.join(", ")}]: skipped ${gap.jobs.join(", ")}`);
  }
  for (const repo of summary.repos) {
    lines.push(`  published ${repo.repo}: ${join27(out, repo.path)}`);
    lines.push(
      repo.family === "deb" ? `    install from it: sudo cp ${join27(out, repo.repoFile)} /etc/apt/sources.list.d/ && sudo apt-get update && sudo apt-get install PACKAGE` : `    install from it: sudo cp ${join27(out, repo.repoFile)} /etc/yum.repos.d/ && sudo dnf install PACKAGE`
    );
  }
  lines.push(`  details: ${join27(out, "pipeline.json")}`);
  return lines;
}
export {
  runPipeline
};
