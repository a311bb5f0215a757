/* CareerPath web components: <careerpath-career-path>, <careerpath-readiness>, <careerpath-badges>.
 *
 * Plain JavaScript, no build step, no dependency. Load it with a classic script (no CORS
 * needed for the script itself):
 *   <script src="https://TOOL/static/careerpath-widgets.js" defer></script>
 *   <careerpath-readiness api-base="https://TOOL" token="cpw.…" person="42"></careerpath-readiness>
 *
 * Attributes: api-base (the tool's base URL), token (a widget token from
 * POST /api/v1/widget-tokens, at most 15 minutes), person (the person's id), role (readiness
 * only: a role id; default the first goal, else the best next role), locale (default
 * navigator.language). Each element renders into its own shadow root, so host-page CSS
 * cannot break it; host pages may set the --cp-* custom properties on the element.
 * Every text coming from the API is set with textContent, never parsed as HTML.
 * While loading the element has aria-busy="true"; `data-state` is loading, ready or error.
 * On failure the element shows a message and dispatches `careerpath:error`
 * (bubbles, composed; detail: {status, code, message}).
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var STYLE = [
    ":host { all: initial; display: block; box-sizing: border-box; max-width: 100%;",
    "  --cp-bg: #ffffff; --cp-fg: #1b1f24; --cp-muted: #57606a; --cp-card: #f6f8fa;",
    "  --cp-border: #d0d7de; --cp-accent: #0b5cad; --cp-good: #1a7f37; --cp-warn: #9a6700;",
    "  --cp-bad: #cf222e; --cp-track: #d0d7de;",
    "  color-scheme: light dark; color: var(--cp-fg);",
    "  font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }",
    "@media (prefers-color-scheme: dark) { :host {",
    "  --cp-bg: #0d1117; --cp-fg: #e6edf3; --cp-muted: #9da7b3; --cp-card: #161b22;",
    "  --cp-border: #30363d; --cp-accent: #58a6ff; --cp-good: #3fb950; --cp-warn: #d29922;",
    "  --cp-bad: #f85149; --cp-track: #30363d; } }",
    ":host([hidden]) { display: none; }",
    "*, *::before, *::after { box-sizing: border-box; }",
    ".cp-card { background: var(--cp-card); border: 1px solid var(--cp-border); border-radius: 8px;",
    "  padding: 1rem; margin: 0 0 1rem; overflow-wrap: anywhere; min-width: 0; }",
    "h2 { font-size: 1.15rem; margin: 0 0 .5rem; line-height: 1.3; }",
    "h3 { font-size: 1rem; margin: 1rem 0 .25rem; line-height: 1.3; }",
    "p { margin: .25rem 0 .5rem; }",
    "ul, ol { margin: .25rem 0 .5rem; padding-left: 1.25rem; }",
    "li { margin: .25rem 0; }",
    ".cp-muted { color: var(--cp-muted); font-size: .875rem; }",
    ".cp-status--ready { color: var(--cp-good); }",
    ".cp-status--not-ready { color: var(--cp-warn); }",
    ".cp-error { border-left: 4px solid var(--cp-bad); }",
    ".cp-gauge { display: block; width: 100%; max-width: 16rem; height: auto; margin: .5rem 0; }",
    ".cp-gauge-track { fill: none; stroke: var(--cp-track); stroke-width: 12; }",
    ".cp-gauge-fill { fill: none; stroke: var(--cp-warn); stroke-width: 12; }",
    ".cp-gauge-fill--ready { stroke: var(--cp-good); }",
    ".cp-gauge-tick { stroke: var(--cp-fg); stroke-width: 2; }",
    ".cp-gauge-value { fill: var(--cp-fg); font: 600 16px system-ui, sans-serif; }",
    ".cp-roles { list-style: none; padding: 0; }",
    ".cp-role { margin: .5rem 0 .75rem; }",
    ".cp-role-name { font-weight: 600; margin: 0; }",
    ".cp-bar { position: relative; height: .75rem; background: var(--cp-track);",
    "  border-radius: 4px; margin: .25rem 0; overflow: hidden; }",
    ".cp-bar-fill { position: absolute; inset: 0 auto 0 0; background: var(--cp-warn); }",
    ".cp-bar-fill--ready { background: var(--cp-good); }",
    ".cp-bar-needed { position: absolute; top: 0; bottom: 0; width: 2px; background: var(--cp-fg); }",
    ".cp-badges { list-style: none; padding: 0; }",
    ".cp-badge { border: 1px dashed var(--cp-border); border-radius: 8px; padding: .5rem .75rem;",
    "  margin: .5rem 0; background: var(--cp-bg); }",
    ".cp-badge h3 { margin-top: 0; }",
    ".cp-badge--earned { border-style: solid; border-color: var(--cp-good); }",
    "a { color: var(--cp-accent); }",
    ".cp-lock { width: 1em; height: 1em; margin-right: .35em; vertical-align: -.125em; fill: currentColor; }"
  ].join("\n");

  /* ---------- small DOM helpers: text always through text nodes ---------- */

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  function svg(tag, attrs, children) {
    var el = document.createElementNS(SVG_NS, tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  function setAttrs(el, attrs) {
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== null && attrs[name] !== undefined) el.setAttribute(name, String(attrs[name]));
    });
  }

  function append(el, children) {
    [].concat(children === undefined ? [] : children).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      if (typeof child === "string" || typeof child === "number") {
        el.appendChild(document.createTextNode(String(child)));
      } else {
        el.appendChild(child);
      }
    });
  }

  /* ---------- numbers in the reader's locale ---------- */

  function Format(locale) {
    var tag = "en";
    try {
      var wanted = locale || (typeof navigator !== "undefined" && navigator.language) || "en";
      tag = Intl.NumberFormat.supportedLocalesOf([wanted])[0] || "en";
    } catch (e) {
      tag = "en";
    }
    this.locale = tag;
    this._percent = new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 0 });
    this._level = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
    this._count = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
    this._date = new Intl.DateTimeFormat(tag, { dateStyle: "long", timeZone: "UTC" });
  }
  Format.prototype.percent = function (fraction) { return this._percent.format(fraction); };
  Format.prototype.level = function (value) {
    return value === null || value === undefined ? "no evidence yet" : "level " + this._level.format(value);
  };
  Format.prototype.count = function (value) { return this._count.format(value); };
  Format.prototype.date = function (iso) {
    var when = new Date(iso);
    if (isNaN(when.getTime())) return String(iso);
    return this._date.format(when);
  };

  /* ---------- the REST API ---------- */

  function WidgetError(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }

  function apiRoot(base) {
    return String(base || "").replace(/\/+$/, "").replace(/\/api\/v1$/, "") + "/api/v1";
  }

  function getJson(base, token, path, signal) {
    return fetch(apiRoot(base) + path, {
      headers: { "Authorization": "Bearer " + token, "Accept": "application/json" },
      credentials: "omit", mode: "cors", signal: signal
    }).then(function (response) {
      if (response.ok) return response.json();
      return response.json().catch(function () { return {}; }).then(function (body) {
        throw new WidgetError(response.status, (body && body.code) || "http_" + response.status,
                              (body && body.message) || response.statusText);
      });
    }, function (error) {
      if (error && error.name === "AbortError") throw error;
      throw new WidgetError(0, "network", "the CareerPath service could not be reached");
    });
  }

  function errorText(error) {
    if (error.status === 401) return "This view has expired; reload the page.";
    if (error.status === 403 || error.status === 404) return "Not available.";
    if (error.status === 429) return "Too many requests right now; try again in a minute.";
    if (error.code === "configuration") return "This view is not set up: " + error.message + ".";
    return "CareerPath could not be reached; try again later.";
  }

  /* ---------- the shared element ---------- */

  var nextId = 0;

  class CareerPathElement extends HTMLElement {
    static get observedAttributes() { return ["api-base", "token", "person", "role", "locale"]; }

    constructor() {
      super();
      this._root = this.attachShadow({ mode: "open" });
      this._uid = "cp" + (++nextId);
      this._generation = 0;
      this._controller = null;
      this._queued = false;
    }

    connectedCallback() { this._schedule(); }

    disconnectedCallback() { if (this._controller) this._controller.abort(); }

    attributeChangedCallback(name, before, after) {
      if (before !== after && this.isConnected) this._schedule();
    }

    /* One render per batch of attribute changes. */
    _schedule() {
      if (this._queued) return;
      this._queued = true;
      Promise.resolve().then(() => { this._queued = false; this._render(); });
    }
  }

  CareerPathElement.prototype._id = function (name) { return this._uid + "-" + name; };

  CareerPathElement.prototype._show = function (content) {
    var style = h("style", {}, STYLE);
    this._root.replaceChildren(style, content);
  };

  CareerPathElement.prototype._render = function () {
    var generation = ++this._generation;
    if (this._controller) this._controller.abort();
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    this._controller = controller;
    var fmt = new Format(this.getAttribute("locale"));
    var api = {
      base: this.getAttribute("api-base"), token: this.getAttribute("token"),
      person: (this.getAttribute("person") || "").trim(), signal: controller && controller.signal
    };
    var titleId = this._id("h");
    this.setAttribute("aria-busy", "true");
    this.setAttribute("data-state", "loading");
    this._show(h("section", { "class": "cp-card", "aria-labelledby": titleId, "aria-busy": "true" }, [
      h("h2", { id: titleId }, this.title_), h("p", { role: "status" }, "Loading…")]));
    var self = this;
    var loading;
    var missing = ["api-base", "token", "person"].filter(function (n) { return !self.getAttribute(n); });
    if (missing.length) {
      loading = Promise.reject(new WidgetError(0, "configuration", "missing " + missing.join(", ")));
    } else if (!/^[1-9][0-9]*$/.test(api.person)) {
      loading = Promise.reject(new WidgetError(404, "not_found", "person is not an id"));
    } else {
      api.get = function (path) { return getJson(api.base, api.token, path, api.signal); };
      loading = Promise.resolve().then(function () { return self.load(api, fmt); });
    }
    return loading.then(function (view) {
      if (generation !== self._generation) return;
      self._show(h("section", { "class": "cp-card", "aria-labelledby": titleId },
                   [h("h2", { id: titleId }, self.title_)].concat(view)));
      self.removeAttribute("aria-busy");
      self.setAttribute("data-state", "ready");
    }, function (error) {
      if (generation !== self._generation || (error && error.name === "AbortError")) return;
      if (!(error instanceof WidgetError)) error = new WidgetError(0, "internal", String(error));
      self._show(h("section", { "class": "cp-card cp-error", "aria-labelledby": titleId }, [
        h("h2", { id: titleId }, self.title_),
        h("p", { role: "alert", "data-status": error.status }, errorText(error))]));
      self.removeAttribute("aria-busy");
      self.setAttribute("data-state", "error");
      self.dispatchEvent(new CustomEvent("careerpath:error", {
        bubbles: true, composed: true,
        detail: { status: error.status, code: error.code, message: error.message }
      }));
    });
  };

  function define(name, title, load) {
    class Widget extends CareerPathElement {}
    Widget.prototype.title_ = title;
    Widget.prototype.load = load;
    if (!customElements.get(name)) customElements.define(name, Widget);
  }

  /* ---------- readiness ---------- */

  /* The role to measure: the attribute, else the first goal, else the best next role. */
  function chooseRole(api, role) {
    if (role) return Promise.resolve(role);
    return api.get("/people/" + api.person + "/goals").then(function (goals) {
      if (goals.role_ids.length) return String(goals.role_ids[0]);
      return api.get("/people/" + api.person + "/next-roles").then(function (next) {
        return next.length ? String(next[0].role_id) : null;
      });
    });
  }

  function readiness(api, roleId) {
    return api.get("/people/" + api.person + "/readiness/" + encodeURIComponent(roleId));
  }

  function competencyNames(report) {
    var names = {};
    report.gaps.forEach(function (gap) { names[gap.competency_id] = gap.competency_name; });
    return function (id) { return names[id] || "Competency " + id; };
  }

  function gateText(report, gate, fmt) {
    if (gate.kind === "threshold") {
      return "Overall readiness is " + fmt.percent(gate.actual) + "; this role needs " +
        fmt.percent(gate.required) + ".";
    }
    var name = competencyNames(report)(gate.competency_id);
    var gap = report.gaps.filter(function (g) { return g.competency_id === gate.competency_id; })[0];
    var now = gap && gap.current === null ? "has no evidence yet" : "is at " + fmt.level(gate.actual);
    return name + " " + now + "; this role needs at least " + fmt.level(gate.required) + ".";
  }

  /* Failing gates, then every other gap, as sentences (as the LTI badges widget says it). */
  function stillNeeded(report, fmt) {
    var name = competencyNames(report);
    var gated = {};
    var lines = report.failing_gates.map(function (gate) {
      if (gate.competency_id !== null) gated[gate.competency_id] = true;
      return gateText(report, gate, fmt);
    });
    report.gaps.forEach(function (gap) {
      if (!gated[gap.competency_id]) {
        lines.push("Raise " + name(gap.competency_id) + " to " + fmt.level(gap.required) + ".");
      }
    });
    return lines;
  }

  function gauge(self, report, fmt) {
    var titleId = self._id("gauge-title");
    var descId = self._id("gauge-desc");
    var score = Math.max(0, Math.min(1, report.score));
    var angle = Math.PI * (1 - Math.max(0, Math.min(1, report.threshold)));
    var tick = [42, 58].map(function (r) {
      return [(60 + r * Math.cos(angle)).toFixed(2), (60 - r * Math.sin(angle)).toFixed(2)];
    });
    var arc = "M 10 60 A 50 50 0 0 1 110 60";
    return svg("svg", { "class": "cp-gauge", role: "img", viewBox: "0 0 120 72",
                        "aria-labelledby": titleId + " " + descId, focusable: "false" }, [
      svg("title", { id: titleId }, "Readiness for " + report.role_name + ": " + fmt.percent(report.score)),
      svg("desc", { id: descId }, "Gauge from 0 to 100 %; this role needs " + fmt.percent(report.threshold) + "."),
      svg("path", { "class": "cp-gauge-track", d: arc, pathLength: 100 }),
      svg("path", { "class": "cp-gauge-fill" + (report.ready ? " cp-gauge-fill--ready" : ""), d: arc,
                    pathLength: 100, "stroke-dasharray": (score * 100).toFixed(2) + " 100" }),
      svg("line", { "class": "cp-gauge-tick", x1: tick[0][0], y1: tick[0][1], x2: tick[1][0], y2: tick[1][1] }),
      svg("text", { "class": "cp-gauge-value", x: 60, y: 56, "text-anchor": "middle" }, fmt.percent(report.score))
    ]);
  }

  function gapItem(report, gap, fmt) {
    var name = competencyNames(report);
    var modules = report.recommendations.filter(function (r) { return r.competency_id === gap.competency_id; });
    return h("li", { "class": "cp-gap" }, [
      h("p", {}, [h("strong", {}, gap.competency_name || name(gap.competency_id)),
                  ": now " + fmt.level(gap.current) + ", needed " + fmt.level(gap.required) +
                  ". Closing it adds " + fmt.percent(gap.readiness_gain) + " readiness."]),
      modules.length ? h("ul", { "class": "cp-modules", "aria-label": "Recommended modules" }, modules.map(function (rec) {
        return h("li", {}, [h("strong", {}, rec.title), ": raises " + name(rec.competency_id) + " to " +
          fmt.level(rec.reaches_level) + (rec.closes_gap ? ", closing the gap" : ", narrowing the gap") +
          " (+" + fmt.percent(rec.readiness_gain) + " readiness)."]);
      })) : h("p", { "class": "cp-muted" }, "No module is linked to this competency yet.")
    ]);
  }

  function loadReadiness(api, fmt) {
    var self = this;
    return chooseRole(api, (this.getAttribute("role") || "").trim()).then(function (roleId) {
      if (roleId === null) {
        return [h("p", {}, "There is no role to measure your readiness against yet.")];
      }
      return readiness(api, roleId).then(function (report) {
        var gapsId = self._id("gaps");
        var view = [
          h("h3", { "class": "cp-role-title" }, report.role_name),
          gauge(self, report, fmt),
          h("p", { "class": "cp-readiness-text", "data-score": report.score },
            ["You are ", h("strong", {}, fmt.percent(report.score)), " ready for " + report.role_name +
             "; the role needs " + fmt.percent(report.threshold) + "."])
        ];
        if (report.ready) {
          view.push(h("p", { "class": "cp-status cp-status--ready" }, [h("strong", {}, "Ready"), ": every gate is met."]));
        } else {
          view.push(h("p", { "class": "cp-status cp-status--not-ready" },
                      [h("strong", {}, "Not ready yet"), ". What holds you back:"]));
          view.push(h("ul", { "class": "cp-gates" }, report.failing_gates.map(function (gate) {
            return h("li", {}, gateText(report, gate, fmt));
          })));
        }
        if (report.gaps.length) {
          view.push(h("h3", { id: gapsId }, "Your gaps, biggest impact first"));
          view.push(h("ol", { "class": "cp-gaps", "aria-labelledby": gapsId }, report.gaps.map(function (gap) {
            return gapItem(report, gap, fmt);
          })));
        }
        return view;
      });
    });
  }

  /* ---------- career path ---------- */

  function goalReports(api, roleIds) {
    return Promise.all(roleIds.map(function (roleId) {
      return readiness(api, roleId).catch(function (error) {
        if (error instanceof WidgetError && error.status === 404) return null;  // role removed
        throw error;
      });
    })).then(function (found) { return found.filter(Boolean); });
  }

  function roleBar(entry, fmt) {
    var share = Math.max(0, Math.min(1, entry.score)) * 100;
    var needed = Math.max(0, Math.min(1, entry.threshold)) * 100;
    var facts = fmt.percent(entry.score) + " ready · needs " + fmt.percent(entry.threshold) + " · " +
      (entry.ready ? "ready" : "not ready yet");
    if (typeof entry.gaps === "number") {
      facts += " · " + fmt.count(entry.gaps) + (entry.gaps === 1 ? " gap" : " gaps");
    }
    return h("li", { "class": "cp-role", "data-role": entry.role_id }, [
      h("p", { "class": "cp-role-name" }, entry.role_name),
      h("div", { "class": "cp-bar", "aria-hidden": "true" }, [
        h("div", { "class": "cp-bar-fill" + (entry.ready ? " cp-bar-fill--ready" : ""), style: "width: " + share.toFixed(1) + "%" }),
        h("div", { "class": "cp-bar-needed", style: "left: calc(" + needed.toFixed(1) + "% - 1px)" })
      ]),
      h("p", { "class": "cp-role-facts" }, facts)
    ]);
  }

  function loadCareerPath(api, fmt) {
    var self = this;
    return Promise.all([api.get("/people/" + api.person + "/goals"),
                        api.get("/people/" + api.person + "/next-roles")]).then(function (both) {
      return goalReports(api, both[0].role_ids).then(function (goals) {
        var goalsId = self._id("goals");
        var nextId_ = self._id("next");
        return [
          h("h3", { id: goalsId }, "Your target roles"),
          goals.length ? h("ul", { "class": "cp-roles cp-goals", "aria-labelledby": goalsId },
                           goals.map(function (g) { return roleBar(g, fmt); }))
            : h("p", {}, "You have not chosen a target role yet."),
          h("h3", { id: nextId_ }, "Possible next roles"),
          both[1].length ? h("ul", { "class": "cp-roles cp-next", "aria-labelledby": nextId_ },
                             both[1].map(function (r) { return roleBar(r, fmt); }))
            : h("p", {}, "No move from your current role is defined yet.")
        ];
      });
    });
  }

  /* ---------- badges ---------- */

  function badgeItem(report, fmt) {
    var lock = svg("svg", { "class": "cp-lock", viewBox: "0 0 16 16", "aria-hidden": "true", focusable: "false" }, [
      svg("path", { d: "M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z" })]);
    var body = [h("h3", {}, [lock, "Next-role readiness: " + report.role_name])];
    if (report.ready) {
      body.push(h("p", {}, "Readiness " + fmt.percent(report.score) +
        ": you meet every gate; the badge is issued with your next progress update."));
    } else {
      body.push(h("p", {}, "Locked · readiness " + fmt.percent(report.score) + " of the " +
        fmt.percent(report.threshold) + " needed. Still needed:"));
      body.push(h("ul", { "class": "cp-still-needed" }, stillNeeded(report, fmt).map(function (line) {
        return h("li", {}, line);
      })));
    }
    return h("li", { "class": "cp-badge cp-badge--locked", "data-role": report.role_id }, body);
  }

  function earnedItem(badge, fmt) {
    var facts = "Issued " + fmt.date(badge.issued_at) + (badge.result ? " · " + badge.result : "");
    return h("li", { "class": "cp-badge cp-badge--earned", "data-badge": badge.id }, [
      h("h3", {}, badge.name),
      h("p", { "class": "cp-badge-facts" }, facts),
      h("p", { "class": "cp-badge-links" }, [
        h("a", { href: badge.url, target: "_blank", rel: "noopener", "class": "cp-verify" }, "Verify"),
        " · Download ",
        h("a", { href: badge.json_url, download: "", "class": "cp-download-json" }, ".json"),
        " · ",
        h("a", { href: badge.jwt_url, download: "", "class": "cp-download-jwt" }, ".jwt")
      ])
    ]);
  }

  function loadBadges(api, fmt) {
    var self = this;
    return Promise.all([api.get("/people/" + api.person + "/badges"),
                        api.get("/people/" + api.person + "/goals")]).then(function (both) {
      var earned = both[0].filter(function (b) { return !b.revoked; });
      var held = {};
      earned.forEach(function (b) { held[b.achievement_key] = true; });
      var goals = both[1];
      var fromGoals = goals.role_ids.length > 0;
      var roles = fromGoals ? Promise.resolve(goals.role_ids)
        : api.get("/people/" + api.person + "/next-roles").then(function (next) {
          return next.slice(0, 3).map(function (r) { return r.role_id; });
        });
      return roles.then(function (ids) {
        return goalReports(api, ids.filter(function (id) { return !held["role-" + id]; }));
      }).then(function (reports) {
        var earnedId = self._id("earned-badges");
        var listId = self._id("role-badges");
        return [
          h("h3", { id: earnedId }, "Earned badges"),
          earned.length ? h("ul", { "class": "cp-badges cp-earned", "aria-labelledby": earnedId },
                            earned.map(function (b) { return earnedItem(b, fmt); }))
            : h("p", { "class": "cp-no-earned" }, "You have not earned a badge yet. Below are the " +
                "badges you are working towards and what each still needs."),
          h("h3", { id: listId }, "Next-role readiness badges"),
          fromGoals ? null : h("p", { "class": "cp-muted" },
            "You have not chosen a target role yet; these are your most likely next roles."),
          reports.length ? h("ul", { "class": "cp-badges", "aria-labelledby": listId },
                             reports.map(function (r) { return badgeItem(r, fmt); }))
            : h("p", {}, fromGoals ? "You hold the readiness badge of every goal role."
                                   : "No next role is defined for you yet.")
        ];
      });
    });
  }

  if (typeof customElements === "undefined") return;
  define("careerpath-readiness", "Next-role readiness", loadReadiness);
  define("careerpath-career-path", "My career path", loadCareerPath);
  define("careerpath-badges", "My badges", loadBadges);
})();
