"""Settings shared by every mode, read from environment variables.

Modes: ``dev`` (default for ``manage.py``), ``test`` and ``prod``.
"""

import datetime
import json
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "aftersales"
VAR_DIR = Path(os.environ.get("AFTERSALES_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file, the on-disk broker and media live here


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "aftersales.core",
    "aftersales.organization",
    "aftersales.desk",
    "aftersales.imports",
    "aftersales.regions",
    "aftersales.messaging",
    "aftersales.workflow",
    "aftersales.catalog",
    "aftersales.customers",
    "aftersales.personnel",
    "aftersales.competitors",
    "aftersales.warranty",
    "aftersales.stock",
    "aftersales.repairs",
    "aftersales.billing",
    "aftersales.feedback",
    "aftersales.marketing",
    "aftersales.sales",
    "aftersales.crm",
    "aftersales.field",
    "aftersales.reports",
    "aftersales.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "aftersales.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aftersales.core.middleware.PersianFirstLocaleMiddleware",
    "aftersales.core.middleware.NullCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aftersales.core.middleware.RowScopeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "aftersales.organization.middleware.IdleSessionMiddleware",
    "aftersales.organization.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a login refused for too many failures into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aftersales.urls"
WSGI_APPLICATION = "aftersales.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aftersales.core.context_processors.today",
                "aftersales.desk.context_processors.menu",
            ],
            "builtins": ["aftersales.core.templatetags.persian"],
        },
    },
]

# SQLite file under var/ by default; PostgreSQL in production via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aftersales.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many users save at once; WAL and a busy timeout keep SQLite from failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # Covering indexes (INCLUDE) are PostgreSQL's; SQLite builds the same index without the extra columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organization.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "organization:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Django's list again after undoing the Persian keyboard layout, plus Persian favourites.
    {"NAME": "aftersales.organization.passwords.PersianKeyboardPasswordValidator"},
]

# Accounts (issue 12). django-axes counts failed logins on the login page, the admin and the API's
# token endpoint: AXES_FAILURE_LIMIT for one username from one address, and the two higher limits
# below for an address (an office behind one NAT address) and for an account tried from many.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "aftersales.organization.lockout.LoginFailureHandler"
AXES_LOCKOUT_CALLABLE = "aftersales.organization.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "aftersales.organization.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
# A locked-out client's further tries do not push the end of its lockout back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "50"))
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "20"))
# Two-factor authentication (TOTP): any user may turn it on; with AUTH_REQUIRE_2FA, superusers and
# roles that span all centers must (production turns it on; the demo leaves it off).
AUTH_REQUIRE_2FA = env_bool("AUTH_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Aftersales")
# The admin lists devices (and removes a lost phone's) but never shows their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A session ends after SESSION_IDLE_MINUTES without a request, and at the latest SESSION_COOKIE_AGE
# after login (0 minutes: no idle limit).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_MAX_HOURS", "12")) * 3600
# API tokens expire this many days after they were issued (0: never); a new one is issued at login.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))

# Persian first: the interface is Persian unless the user picks English.
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "aftersales_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Third-party assets come from npm (package-lock.json) at install time and are served by the product.
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/vazirmatn", NODE_MODULES / "vazirmatn" / "fonts" / "webfonts"),
    ("vendor/vazirmatn-fd", NODE_MODULES / "vazirmatn" / "misc" / "Farsi-Digits" / "fonts" / "webfonts"),
    ("vendor/jalalidatepicker", NODE_MODULES / "@majidh1" / "jalalidatepicker" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    # Maps of tours and places, drawn only when FIELD_MAP_TILE_URL names a tile server (see below).
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    # TrueType cuts for PDFs (WeasyPrint); the web pages use the woff2 files above.
    ("vendor/vazirmatn-ttf", NODE_MODULES / "vazirmatn" / "misc" / "Farsi-Digits" / "fonts" / "ttf"),
    # Latin digits in PDFs where they must stay Latin (tracking codes people type).
    ("vendor/vazirmatn-latin-ttf", NODE_MODULES / "vazirmatn" / "fonts" / "ttf"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "aftersales.core.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["aftersales.core.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "aftersales.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Aftersales API",
    "DESCRIPTION": "After-sales service and CRM. Dates are ISO 8601 (UTC); *_jalali fields are for display.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc are served from the sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "aftersales.core.api.clock_times_as_patterns",
                             "aftersales.core.api.unicode_word_patterns"],
    # One name for a choice set used by several fields (a service item's type, a repair order's kind).
    "ENUM_NAME_OVERRIDES": {
        "ServiceTypeEnum": "aftersales.catalog.models.ServiceType",
        "CustomerKindEnum": "aftersales.customers.models.Customer.Kind",
        "CreditStatusEnum": "aftersales.customers.models.Customer.Credit",
        "AppointmentKindEnum": "aftersales.crm.models.AppointmentPlan.Kind",
        "PartyStatusEnum": "aftersales.crm.models.Party.Status",
        "ContractKindEnum": "aftersales.sales.models.Contract.Kind",
        "ContractStatusEnum": "aftersales.sales.models.Contract.Status",
        "VisitExpenseKindEnum": "aftersales.field.models.VisitExpense.Kind",
        "VisitExpenseStatusEnum": "aftersales.field.models.VisitExpense.Status",
        "TourStatusEnum": "aftersales.field.models.Tour.Status",
        "TourStopStatusEnum": "aftersales.field.models.TourStop.Status",
        "TargetMetricEnum": "aftersales.field.models.Target.Metric",
        "ServiceRequestKindEnum": "aftersales.repairs.models.ServiceRequest.KINDS",
    },
}

# Background work: Celery. With no REDIS_URL the broker is a folder on disk, so the worker needs no
# extra server; a deployment sets REDIS_URL (or CELERY_BROKER_URL for RabbitMQ) to scale out.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_BROKER_FOLDER = VAR_DIR / "celery" / "broker"
if CELERY_BROKER_URL == "filesystem://":
    for _folder in ("broker", "control", "results"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
CELERY_RESULT_BACKEND = os.environ.get(
    "CELERY_RESULT_BACKEND", REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}"
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# The worker runs with an embedded beat (-B): the outbox sweep catches retries, scheduled sends and
# messages whose wake-up was lost; the poll takes delivery reports and inbound SMS.
CELERY_BEAT_SCHEDULE = {
    "messaging-dispatch": {"task": "messaging.dispatch", "schedule": 20.0},
    "messaging-poll": {"task": "messaging.poll", "schedule": 300.0},
    "marketing-campaigns": {"task": "marketing.campaigns_due", "schedule": 300.0},
    "reports-subscriptions": {"task": "reports.subscriptions", "schedule": 3600.0},
    "reports-failure-alerts": {"task": "reports.failure_alerts", "schedule": crontab(hour=2, minute=30)},  # Tehran
    "warranty-periodic-reminders": {"task": "warranty.periodic_reminders", "schedule": 6 * 3600.0},
    "sales-alarms": {"task": "sales.alarms", "schedule": crontab(hour=1, minute=15)},  # Tehran, nightly
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")

# The web process and the worker share the cache (import progress, for one): a folder by default.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "aftersales@localhost")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20

# Messaging (aftersales.messaging). SMS_BACKEND: file (the demo's phone, var/messages/sms.jsonl),
# console, kavenegar, smsir, http (generic; its fields in SMS_HTTP_FIELDS as JSON), or a dotted path.
MESSAGING_SMS_BACKEND = os.environ.get("SMS_BACKEND", "file")
MESSAGING_SMS_OPTIONS = {
    "api_key": os.environ.get("SMS_API_KEY", ""),
    "sender": os.environ.get("SMS_SENDER", ""),
    **({"base_url": os.environ["SMS_BASE_URL"]} if os.environ.get("SMS_BASE_URL") else {}),
    **({"path": os.environ["SMS_PATH"]} if os.environ.get("SMS_PATH") else {}),
    **({"fields": json.loads(os.environ["SMS_HTTP_FIELDS"])} if os.environ.get("SMS_HTTP_FIELDS") else {}),
}
# The public address customers reach the product at: every link in SMS and e-mail, QR codes and PDFs.
# `make run` sets it from the port it serves on; production refuses to start without it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# What one SMS part costs at the gateway (rials), for the cost shown before a campaign is sent.
SMS_PRICE_PER_PART = int(os.environ.get("SMS_PRICE_PER_PART", "1200"))
MESSAGING_FAX_EMAIL = os.environ.get("FAX_EMAIL_PATTERN", "")  # e.g. {number}@fax.example.ir
MESSAGING_EMAIL_DOMAIN = os.environ.get("MESSAGING_EMAIL_DOMAIN", "aftersales.local")
# Marketing messages wait through these local hours (start, end); service messages go at any hour.
MESSAGING_QUIET_HOURS = tuple(env_list("MESSAGING_QUIET_HOURS", "21:00,08:00"))
# Sends a second per channel from one worker process (0: no limit), as the gateway contract allows.
MESSAGING_RATE_LIMITS = {"sms": float(os.environ.get("SMS_RATE_PER_SECOND", "0")), "email": 0, "fax": 0}
# The mailbox complaints and replies arrive in (read over IMAP by the worker's poll); empty: none.
MESSAGING_IMAP_HOST = os.environ.get("IMAP_HOST", "")
MESSAGING_IMAP_PORT = int(os.environ.get("IMAP_PORT", "993"))
MESSAGING_IMAP_SSL = env_bool("IMAP_SSL", True)
MESSAGING_IMAP_USER = os.environ.get("IMAP_USER", "")
MESSAGING_IMAP_PASSWORD = os.environ.get("IMAP_PASSWORD", "")
MESSAGING_IMAP_FOLDER = os.environ.get("IMAP_FOLDER", "INBOX")
# The secret part of the URL the SMS gateway posts received messages to (/messaging/inbound/<token>/).
MESSAGING_WEBHOOK_TOKEN = os.environ.get("SMS_WEBHOOK_TOKEN", "")
MESSAGING_LEASE_SECONDS = int(os.environ.get("MESSAGING_LEASE_SECONDS", "120"))
MESSAGING_MAX_ATTEMPTS = int(os.environ.get("MESSAGING_MAX_ATTEMPTS", "8"))

# Amounts are stored as integer rials; people read and type them in this unit ("rial" or "toman").
MONEY_UNIT = os.environ.get("MONEY_UNIT", "rial")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

ADMIN_SITE_HEADER = _("Aftersales desk")
ADMIN_INDEX_TITLE = _("Master data")

# Content-Security-Policy (django-csp): no inline script, style or event handler anywhere; the pages
# bind behaviour by data attributes in static files. Images may be data: URLs (QR codes, charts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# History is for reading; reverting a record through the desk would bypass the services' rules.
SIMPLE_HISTORY_REVERT_DISABLED = True

# The workflow repair orders follow (data: edit it in the desk), and the non-warranty cost (rials) above
# which the customer must approve the estimate first.
REPAIRS_WORKFLOW = os.environ.get("REPAIRS_WORKFLOW", "repair")
REPAIRS_APPROVAL_LIMIT = int(os.environ.get("REPAIRS_APPROVAL_LIMIT", "0"))
# How far (percent) an invoice may go above the estimate the customer approved before it needs a new
# approval or a manager's override (repairs.override_estimate) with a reason.
REPAIRS_ESTIMATE_TOLERANCE_PERCENT = int(os.environ.get("REPAIRS_ESTIMATE_TOLERANCE_PERCENT", "10"))
# Home visits (issue 13): the working day they are booked in (Tehran time), how long one takes (the
# schedule's slot), and the days off (Python weekdays; 4 is Friday, the Iranian weekend). The same for
# every center for now.
REPAIRS_HOME_DAY_START = os.environ.get("REPAIRS_HOME_DAY_START", "08:00")
REPAIRS_HOME_DAY_END = os.environ.get("REPAIRS_HOME_DAY_END", "17:00")
REPAIRS_HOME_VISIT_MINUTES = int(os.environ.get("REPAIRS_HOME_VISIT_MINUTES", "60"))
REPAIRS_HOME_DAYS_OFF = [int(day) for day in os.environ.get("REPAIRS_HOME_DAYS_OFF", "4").split(",") if day.strip()]
# Tracking page views a minute per client address (the per-target limit below guards each code).
TRACKING_CHECKS_PER_MINUTE = int(os.environ.get("TRACKING_CHECKS_PER_MINUTE", "60"))
# Owners get an SMS this many days before a periodic service falls due.
WARRANTY_PERIODIC_REMINDER_DAYS = int(os.environ.get("WARRANTY_PERIODIC_REMINDER_DAYS", "7"))
# Public complaint and survey forms: posts a minute per address, and the largest post taken.
FEEDBACK_PUBLIC_PER_MINUTE = int(os.environ.get("FEEDBACK_PUBLIC_PER_MINUTE", "20"))
FEEDBACK_MAX_REQUEST_BYTES = 64 * 1024
# Public warranty checks and self-activation posts a minute per client address.
WARRANTY_PUBLIC_CHECKS_PER_MINUTE = int(os.environ.get("WARRANTY_PUBLIC_CHECKS_PER_MINUTE", "60"))
# The customer portal (issue 22): how long a phone stays signed in after its texted code, and how many codes one
# client address may ask for in an hour (besides three a mobile an hour, the warranty activation's rule).
PORTAL_SESSION_DAYS = int(os.environ.get("PORTAL_SESSION_DAYS", "30"))
PORTAL_CODES_PER_ADDRESS_PER_HOUR = int(os.environ.get("PORTAL_CODES_PER_ADDRESS_PER_HOUR", "10"))
# Public pages count requests per client address (high enough for a carrier NAT's many customers) and
# per target guessed at (a tracking code, serial, mobile or link token), from whatever address.
PUBLIC_TARGET_PER_MINUTE = int(os.environ.get("PUBLIC_TARGET_PER_MINUTE", "10"))
# Reverse proxies (IPs or CIDRs) whose X-Forwarded-For is believed for the client's address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Excel/CSV imports: larger files are refused with a message asking to split them.
IMPORT_MAX_UPLOAD_MB = int(os.environ.get("IMPORT_MAX_UPLOAD_MB", "40"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Stock and invoicing (issue 7). The stock backend is the seam for an ERPNext warehouse (stock/backends.py).
STOCK_BACKEND = os.environ.get("STOCK_BACKEND", "aftersales.stock.backends.LocalStock")
BILLING_VAT_PERCENT = int(os.environ.get("BILLING_VAT_PERCENT", "10"))
# Sales (issue 17): a sales invoice owing anything this many days after its date is overdue.
SALES_PAYMENT_DAYS = int(os.environ.get("SALES_PAYMENT_DAYS", "30"))
# How many days before a cheque without a contract falls due its responsible user is warned (a contract has its own).
SALES_CHEQUE_ALARM_DAYS = int(os.environ.get("SALES_CHEQUE_ALARM_DAYS", "3"))
# A new proforma's validity offered in its form (days from today); the user may change it.
SALES_PROFORMA_VALID_DAYS = int(os.environ.get("SALES_PROFORMA_VALID_DAYS", "15"))
# The manufacturer as a legal entity: the buyer on the warranty invoices centers send head office
# (each center is the seller on its own invoices, with the identifiers on its record).
BILLING_MANUFACTURER = {
    key: os.environ.get(f"BILLING_MANUFACTURER_{key.upper()}", "")
    for key in ("name", "economic_number", "national_id", "registration_number", "postal_code", "address", "phone")
}

# The telephone exchange (Asterisk/Issabel manager interface, AMI): `manage.py crm_ami_listen` turns a ringing
# extension into a pop-up of the caller's panel on its agent's open page. Off unless CRM_AMI_ENABLED.
CRM_AMI_ENABLED = env_bool("CRM_AMI_ENABLED")
CRM_AMI_HOST = os.environ.get("CRM_AMI_HOST", "127.0.0.1")
CRM_AMI_PORT = int(os.environ.get("CRM_AMI_PORT", "5038"))
CRM_AMI_USERNAME = os.environ.get("CRM_AMI_USERNAME", "")
CRM_AMI_SECRET = os.environ.get("CRM_AMI_SECRET", "")
# A call pops up on a page that polls within this many minutes of ringing, never later.
CRM_AMI_POPUP_MINUTES = int(os.environ.get("CRM_AMI_POPUP_MINUTES", "5"))

# Field marketing (issue 18). Map tiles come only from a server the site names (its own tile server or an
# Iranian map service, e.g. "https://tiles.example.ir/{z}/{x}/{y}.png"); empty, no foreign host is contacted and
# maps are drawn as a plain schematic of the stops.
FIELD_MAP_TILE_URL = os.environ.get("FIELD_MAP_TILE_URL", "")
FIELD_MAP_ATTRIBUTION = os.environ.get("FIELD_MAP_ATTRIBUTION", "")
# Road distances from an OSRM-compatible routing server ("http://osrm.local:5000"); empty, straight-line
# distances stretched by FIELD_DETOUR_FACTOR are used.
FIELD_ROUTING_URL = os.environ.get("FIELD_ROUTING_URL", "")
FIELD_DETOUR_FACTOR = float(os.environ.get("FIELD_DETOUR_FACTOR", "1.3"))
FIELD_SPEED_KMH = int(os.environ.get("FIELD_SPEED_KMH", "30"))  # average speed in town, for durations
FIELD_SOLVER_SECONDS = int(os.environ.get("FIELD_SOLVER_SECONDS", "3"))  # the optimiser's time limit per day
FIELD_CHECKIN_FAR_METRES = int(os.environ.get("FIELD_CHECKIN_FAR_METRES", "300"))  # farther is flagged
FIELD_RECEIPT_REQUIRED_OVER = int(os.environ.get("FIELD_RECEIPT_REQUIRED_OVER", "5000000"))  # rials
