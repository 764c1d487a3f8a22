"""The whole shared schema: importing this registers every table on ``Base.metadata``.

Alembic's env.py and the tests import it; add each new models module here.
"""

from services.appraisal import models as appraisal_models
from services.common.db import Base
from services.metrics import models as metrics_models
from services.org import models as org_models
from services.payroll_bridge import models as payroll_models

metadata = Base.metadata

__all__ = ["appraisal_models", "metadata", "metrics_models", "org_models", "payroll_models"]
