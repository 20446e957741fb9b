# Sphinx configuration of the release notes.

extensions = [
    'openstackdocstheme',
    'reno.sphinxext',
]

openstackdocs_repo_name = 'openstack/mec-orchestrator'
openstackdocs_use_storyboard = False
openstackdocs_auto_name = False

project = 'MEC Orchestrator Release Notes'
copyright = '2026, MEC Orchestrator developers'
master_doc = 'index'
exclude_patterns = []
html_theme = 'openstackdocs'
html_static_path = []
locale_dirs = ['locale/']
