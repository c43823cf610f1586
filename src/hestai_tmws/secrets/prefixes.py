"""Self-identifying token formats: a published prefix, then a machine-made body.

The prefixes are facts from vendors' token documentation and gitleaks' public rule set. One
rule covers them all: the prefix, then ≥ `_MIN_BODY` token characters that look generated
(a digit, or mixed case), so `secret_sauce` or `pul-request` stay readable.
"""

from __future__ import annotations

import re

from hestai_tmws.secrets.rule_checks import TOKEN_CHARS, Rule

# prefix -> kind. Case-sensitive, as the vendors issue them.
PREFIXES: dict[str, str] = {
    "A3-": "onepassword_key",
    "ops_eyJ": "onepassword_token",
    "ABSK": "aws_bedrock_key",
    "AGE-SECRET-KEY-1": "age_secret_key",
    "AKCp": "artifactory_key",
    "cmVmd": "artifactory_token",
    "CLOJARS_": "clojars_token",
    "EAACEdEose0cBA": "facebook_token",
    "EAAA": "square_token",
    "EZAK": "easypost_token",
    "EZTK": "easypost_token",
    "FLWPUBK_TEST-": "flutterwave_key",
    "FLWSECK_TEST-": "flutterwave_key",
    "FLWSECK-": "flutterwave_key",
    "GR1348941": "gitlab_token",
    "HRKU-": "heroku_key",
    "LTAI": "alibaba_key",
    "PMAK-": "postman_key",
    "api_org_": "huggingface_token",
    "bedrock-api-key-": "aws_bedrock_key",
    "dapi": "databricks_token",
    "dckr_pat_": "docker_token",
    "dckr_oat_": "docker_token",
    "doo_v1_": "digitalocean_token",
    "dop_v1_": "digitalocean_token",
    "dor_v1_": "digitalocean_token",
    "dp.pt.": "doppler_token",
    "dp.st.": "doppler_token",
    "dp.sa.": "doppler_token",
    "dp.ct.": "doppler_token",
    "dp.scim.": "doppler_token",
    "dp.audit.": "doppler_token",
    "dt0c01.": "dynatrace_token",
    "duffel_test_": "duffel_token",
    "duffel_live_": "duffel_token",
    "eyJrIjoi": "grafana_key",
    "figd_": "figma_token",
    "fio-u-": "frameio_token",
    "fo1_": "flyio_token",
    "gho_": "github_token",
    "ghp_": "github_token",
    "ghr_": "github_token",
    "ghs_": "github_token",
    "ghu_": "github_token",
    "github_pat_": "github_token",
    "glagent-": "gitlab_token",
    "_gitlab_session=": "gitlab_cookie",
    "glc_": "grafana_token",
    "glcbt-": "gitlab_token",
    "gldt-": "gitlab_token",
    "glffct-": "gitlab_token",
    "glft-": "gitlab_token",
    "glimt-": "gitlab_token",
    "gloas-": "gitlab_token",
    "glpat-": "gitlab_token",
    "glptt-": "gitlab_token",
    "glrt-": "gitlab_token",
    "glsa_": "grafana_token",
    "glsoat-": "gitlab_token",
    "gsk_": "groq_key",
    "hf_": "huggingface_token",
    "hvb.": "vault_token",
    "hvs.": "vault_token",
    "hvr.": "vault_token",
    "ico-": "infracost_token",
    "lin_api_": "linear_key",
    "lin_oauth_": "linear_key",
    "nfp_": "netlify_token",
    "npm_": "npm_token",
    "ntn_": "notion_token",
    "secret_": "notion_token",
    "NRAK-": "newrelic_key",
    "NRAA-": "newrelic_key",
    "NRII-": "newrelic_key",
    "NRJS-": "newrelic_key",
    "p8e-": "adobe_secret",
    "pat.": "harness_key",
    "pnu_": "prefect_token",
    "pplx-": "perplexity_key",
    "pscale_oauth_": "planetscale_token",
    "pscale_pw_": "planetscale_password",
    "pscale_tkn_": "planetscale_token",
    "pul-": "pulumi_token",
    "pypi-AgE": "pypi_token",
    "r8_": "replicate_token",
    "rdme_": "readme_token",
    "re_": "resend_key",
    "rk_live_": "stripe_key",
    "rk_test_": "stripe_key",
    "rnd_": "render_key",
    "rubygems_": "rubygems_token",
    "s-s4t2ud-": "intra42_secret",
    "sb_secret_": "supabase_key",
    "sbp_": "supabase_token",
    "sc_": "authress_key",
    "sgp_": "sourcegraph_token",
    "sha256~": "openshift_token",
    "shippo_live_": "shippo_token",
    "shippo_test_": "shippo_token",
    "shpat_": "shopify_token",
    "shpca_": "shopify_token",
    "shppa_": "shopify_token",
    "shpss_": "shopify_token",
    "sk-ant-": "anthropic_key",
    "sk-proj-": "openai_key",
    "sk_live_": "stripe_key",
    "sk_test_": "stripe_key",
    "sk_": "api_secret_key",
    "sm_aat_": "settlemint_token",
    "sm_pat_": "settlemint_token",
    "sm_sat_": "settlemint_token",
    "sntrys_": "sentry_token",
    "sntryu_": "sentry_token",
    "tk-us-": "scalingo_token",
    "tskey-": "tailscale_key",
    "v1.0-": "cloudflare_key",
    "xai-": "xai_key",
    "xapp-": "slack_token",
    "xkeysib-": "brevo_key",
    "xoxa-": "slack_token",
    "xoxb-": "slack_token",
    "xoxe-": "slack_token",
    "xoxe.": "slack_token",
    "xoxp-": "slack_token",
    "xoxs-": "slack_token",
    "ya29.": "google_oauth",
    "AIza": "google_api_key",
    "GOCSPX-": "google_oauth",
    "whsec_": "stripe_key",
    "atlasv1.": "terraform_token",
}
_MIN_BODY = 12
_ORDERED = sorted(PREFIXES, key=len, reverse=True)
_PATTERN = re.compile(
    "(?P<p>"
    + "|".join(re.escape(p) for p in _ORDERED)
    + rf")(?P<b>[A-Za-z0-9_\-.=+/~]{{{_MIN_BODY},}})"
)


def _generated(m: re.Match[str]) -> bool:
    """A body that a machine made: long enough, with a digit or mixed case, not a word run."""
    body = m.group("b").rstrip(".=-_")
    if len(body) < _MIN_BODY or "/" in body[:4]:
        return False
    digits = sum(c.isdigit() for c in body)
    upper = any(c.isupper() for c in body)
    lower = any(c.islower() for c in body)
    if digits == 0 and not (upper and lower and len(body) >= 20):
        return False
    # `sk_some_function_name_2`: mostly words joined by separators is a name, not a token
    pieces = re.split(r"[_\-.]", body)
    return not (len(pieces) >= 3 and all(p.isalpha() or p.isdigit() for p in pieces if p))


def _kind(m: re.Match[str]) -> str:
    return PREFIXES[m.group("p")]


def _minimal(literals: set[str]) -> tuple[str, ...]:
    """The literals that no shorter one is a prefix of (the shorter anchor finds them too)."""
    kept = (a for a in literals if not any(b != a and a.startswith(b) for b in literals))
    return tuple(sorted(kept))


_ANCHORS = _minimal({p.lower() for p in PREFIXES})

PREFIX_RULE = Rule(
    "api_token",
    _PATTERN,
    triggers=_ANCHORS,
    left=TOKEN_CHARS,
    anchors=_ANCHORS,
    check=_generated,
    namer=_kind,
)


# Formats whose prefix alone is too common a word part, told by their fixed shape instead.
SHAPE_RULES: tuple[Rule, ...] = (
    Rule(
        "airtable_token",
        re.compile(r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}(?![A-Za-z0-9])"),
        triggers=("pat",),
        left=TOKEN_CHARS,
        anchors=("pat",),
    ),
)
