"""The Practice tab (issue 6): simulated customer calls for training, inside the app."""

from ui.panels.practice.run import PracticeServices
from ui.panels.practice.tab import PracticeTab

__all__ = ["PracticeServices", "PracticeTab"]
