"""telewizard: design telemedicine clinical workflows and export a review-ready playbook."""

__version__ = "0.1.0"
