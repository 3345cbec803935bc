// French, the reference dictionary: its keys are the app's message keys, and every other
// language must translate each of them (the compiler checks).

export const fr = {
  'common.loading': 'Chargement…',
  'common.skip': 'Aller au contenu',
  'common.cancel': 'Annuler',
  'common.close': 'Fermer',
  'language.label': 'Langue',
  'brand.home': 'Visio, accueil',

  'account.signOut': 'Se déconnecter',

  'home.title': 'Des réunions vidéo simples et souveraines',
  'home.lead': 'Réunissez-vous en toute confiance : vos échanges restent sur nos serveurs.',
  'home.start': 'Démarrer une réunion',
  'home.instantName': 'Réunion instantanée',
  'home.createFailed': 'La réunion n’a pas pu être créée. Réessayez.',

  'signIn.title': 'Connexion',
  'signIn.why': 'Connectez-vous pour démarrer une réunion. Pas besoin de compte pour en rejoindre une.',
  'signIn.oidc': 'Se connecter',
  'signIn.devNote': 'Connexion de développement : aucune vérification d’identité.',
  'signIn.email': 'Adresse e-mail',
  'signIn.name': 'Nom affiché',
  'signIn.submit': 'Se connecter',
  'signIn.failed': 'La connexion a échoué. Vérifiez l’adresse e-mail.',

  'join.title': 'Rejoindre une réunion',
  'join.label': 'Code ou lien de la réunion',
  'join.placeholder': 'abc-defg-hij ou lien',
  'join.submit': 'Rejoindre',
  'join.invalid': 'Ce n’est pas un code de réunion (exemple : abc-defg-hij).',

  'rooms.title': 'Mes salles',
  'rooms.createTitle': 'Nouvelle salle permanente',
  'rooms.name': 'Nom de la salle',
  'rooms.access': 'Accès',
  'rooms.create': 'Créer',
  'rooms.empty': 'Vous n’avez pas encore de salle.',
  'rooms.loadFailed': 'Vos salles n’ont pas pu être chargées.',
  'rooms.open': 'Ouvrir',
  'rooms.copy': 'Copier le lien',
  'rooms.copied': 'Lien copié',
  'rooms.copyPrompt': 'Copiez le lien de la réunion :',

  'access.public': 'Publique',
  'access.trusted': 'Connectés',
  'access.restricted': 'Restreinte',
  'access.public.help': 'Toute personne ayant le lien entre directement.',
  'access.trusted.help': 'Les personnes connectées entrent ; les invités attendent qu’on les admette.',
  'access.restricted.help': 'Seuls les membres de la salle entrent ; les autres attendent.',
  'kind.instant': 'instantanée',
  'kind.permanent': 'permanente',

  'notFound.title': 'Page introuvable',
  'notFound.text': 'Cette adresse ne correspond à aucune page.',
  'notFound.home': 'Retour à l’accueil',
  'room.missing': 'Réunion introuvable',
  'room.missingText': 'Vérifiez le code ou le lien : aucune réunion ne porte ce code.',

  'prejoin.title': 'Prêt à participer ?',
  'prejoin.preview': 'Aperçu de votre caméra et de votre micro',
  'prejoin.name': 'Votre nom',
  'prejoin.joiningAs': 'Vous participerez en tant que {name}.',
  'prejoin.camera': 'Caméra',
  'prejoin.microphone': 'Micro',
  'prejoin.deviceN': 'Appareil {n}',
  'prejoin.level': 'Niveau du micro',
  'prejoin.camOff': 'Caméra désactivée',
  'prejoin.camStarting': 'Démarrage de la caméra…',
  'prejoin.join': 'Participer',
  'prejoin.joinFailed': 'Impossible de rejoindre la réunion. Réessayez.',
  'prejoin.tooMany': 'Trop de tentatives. Patientez un instant.',
  'prejoin.micDenied': 'Le micro est bloqué. Autorisez-le dans les réglages du navigateur, ou participez micro coupé.',
  'prejoin.micMissing': 'Aucun micro trouvé. Vous pouvez participer sans.',
  'prejoin.micBusy': 'Le micro est utilisé par une autre application.',
  'prejoin.micFailed': 'Le micro n’a pas pu démarrer.',
  'prejoin.camDenied': 'La caméra est bloquée. Autorisez-la dans les réglages du navigateur, ou participez caméra coupée.',
  'prejoin.camMissing': 'Aucune caméra trouvée. Vous pouvez participer sans.',
  'prejoin.camBusy': 'La caméra est utilisée par une autre application.',
  'prejoin.camFailed': 'La caméra n’a pas pu démarrer.',

  'lobby.waitingTitle': 'Vous êtes dans la salle d’attente',
  'lobby.waitingText': 'Un organisateur de « {room} » va vous faire entrer. Restez sur cette page.',
  'lobby.refused': 'L’organisateur n’a pas accepté votre demande.',
  'lobby.timeout': 'Personne n’a répondu à votre demande.',
  'lobby.panelTitle': 'Salle d’attente ({count})',
  'lobby.admit': 'Admettre',
  'lobby.deny': 'Refuser',
  'lobby.admitAll': 'Tout admettre',
  'lobby.denyAll': 'Tout refuser',
  'lobby.guest': 'invité',
  'lobby.knocked': '{name} demande à participer.',
  'lobby.openPanel': 'Voir les participants',

  'left.title': 'Vous avez quitté la réunion',
  'left.rejoin': 'Revenir',
  'left.home': 'Accueil',

  'meeting.stage': 'Participants',
  'meeting.you': '(vous)',
  'meeting.screenOf': 'Écran de {name}',
  'meeting.micMuted': 'Micro coupé',
  'meeting.joined': '{name} a rejoint la réunion.',
  'meeting.left': '{name} a quitté la réunion.',
  'meeting.reconnecting': 'Connexion perdue. Reconnexion…',
  'meeting.connecting': 'Connexion…',

  'controls.label': 'Commandes de la réunion',
  'controls.microphone': 'Micro',
  'controls.camera': 'Caméra',
  'controls.screen': 'Partager l’écran',
  'controls.leave': 'Quitter la réunion',
  'controls.people': 'Participants',
  'controls.chat': 'Discussion',
  'controls.unread': '({count} non lus)',
  'controls.waiting': '({count} en attente)',

  'chat.title': 'Discussion',
  'chat.empty': 'Aucun message. Les messages disparaissent à la fin de la réunion.',
  'chat.label': 'Message',
  'chat.placeholder': 'Écrire un message',
  'chat.send': 'Envoyer',
  'chat.me': 'Vous',
  'chat.unknown': 'Inconnu',
  'chat.received': 'Message de {name} : {message}',

  'people.title': 'Participants ({count})',

  // End-to-end encryption, connection test, accessibility statement, footer (web-e2ee).
  'e2ee.option': 'Chiffrée de bout en bout',
  'e2ee.optionHelp':
    'La clé est créée dans votre navigateur et ne voyage que dans le lien : le serveur ne peut ni voir ni entendre la réunion. Toute personne ayant le lien complet peut la rejoindre.',
  'e2ee.badge': 'Chiffrée de bout en bout',
  'e2ee.explanation':
    'Le son, la vidéo et les écrans partagés sont chiffrés dans chaque navigateur avec une clé que seul le lien de la réunion porte (après le signe #, que les navigateurs n’envoient jamais au serveur). Notre serveur les transmet sans pouvoir les lire. Ne partagez le lien complet qu’avec les personnes invitées. Les messages de la discussion ne sont pas chiffrés de bout en bout.',
  'e2ee.missingKey':
    'Cette réunion est chiffrée de bout en bout et votre lien ne contient pas la clé : vous ne pouvez ni voir ni entendre les autres, et ils ne reçoivent ni votre caméra ni votre micro. Demandez le lien d’invitation complet.',
  'e2ee.invalidKey':
    'La clé de votre lien n’est pas valide : vous ne pouvez ni voir ni entendre les autres. Demandez le lien d’invitation complet.',
  'e2ee.undecryptable':
    'Impossible de déchiffrer le son et la vidéo des autres : la clé de votre lien ne correspond pas à celle de la réunion. Demandez le lien d’invitation complet.',

  'footer.label': 'Liens utiles',
  'footer.accessibility': 'Accessibilité : partiellement conforme',
  'footer.connectionTest': 'Tester ma connexion',

  'conn.title': 'Tester ma connexion',
  'conn.lead':
    'Vérifiez votre caméra, votre micro et l’accès à Visio depuis ce réseau avant une réunion.',
  'conn.results': 'Résultats du test',
  'conn.camera': 'Caméra',
  'conn.microphone': 'Micro',
  'conn.websocket': 'Signalisation (WebSocket)',
  'conn.udp': 'Média en UDP',
  'conn.tcp': 'Média en TCP',
  'conn.turn': 'Relais TURN',
  'conn.pending': 'En attente',
  'conn.running': 'En cours…',
  'conn.ok': 'OK',
  'conn.failed': 'Échec',
  'conn.unavailable': 'Non disponible',
  'conn.peak': 'niveau maximal {db} dBFS',
  'conn.media.denied': 'accès refusé',
  'conn.media.missing': 'aucun appareil trouvé',
  'conn.media.busy': 'appareil utilisé par une autre application',
  'conn.media.failed': 'l’appareil n’a pas pu démarrer',
  'conn.tcpNone':
    'ce serveur reçoit le média en UDP ; en TCP, seulement par un relais TURN, et aucun n’est configuré',
  'conn.viaTurn': 'par le relais TURN',
  'conn.turnNone': 'aucun relais TURN n’est configuré sur ce serveur',
  'conn.inProgress': 'Test en cours…',
  'conn.done': 'Test terminé.',
  'conn.again': 'Relancer le test',
  'conn.report': 'Rapport',
  'conn.reportTitle': 'Test de connexion Visio, {date}',
  'conn.browser': 'Navigateur',
  'conn.copy': 'Copier le rapport',
  'conn.copied': 'Rapport copié',

  'a11y.title': 'Déclaration d’accessibilité',
  'a11y.intro':
    'L’éditeur de Visio s’engage à rendre son service accessible, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration d’accessibilité s’applique au service de visioconférence Visio : ce site et son application web.',
  'a11y.statusTitle': 'État de conformité',
  'a11y.status':
    'Visio est partiellement conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1.2, dans l’attente d’un audit de conformité.',
  'a11y.resultsTitle': 'Résultats des tests',
  'a11y.results':
    'Aucun audit n’a encore été réalisé : le taux de conformité sera publié à son issue. Le service est conçu et testé selon le RGAA et les WCAG 2.1 niveau AA : utilisation complète au clavier avec un focus visible, annonces des arrivées, mains levées, messages et réactions aux lecteurs d’écran, contrastes suffisants, animations réduites sur demande, contrôles étiquetés, affichage adapté aux petits écrans.',
  'a11y.nonAccessibleTitle': 'Contenus non accessibles',
  'a11y.nonAccessible':
    'Le son et la vidéo des participants sont des contenus en direct : aucun sous-titrage ni aucune transcription ne sont proposés pour l’instant. D’autres non-conformités peuvent exister tant que l’audit n’a pas eu lieu.',
  'a11y.standardsTitle': 'Référentiels',
  'a11y.standards':
    'RGAA 4.1.2, qui reprend les WCAG 2.1 niveaux A et AA du W3C ; norme européenne EN 301 549.',
  'a11y.technologiesTitle': 'Technologies utilisées',
  'a11y.technologies': 'HTML5, CSS, JavaScript (React), WAI-ARIA, WebRTC.',
  'a11y.contactTitle': 'Retour d’information et contact',
  'a11y.contact':
    'Si vous n’arrivez pas à accéder à un contenu ou à une fonction, contactez l’équipe qui exploite ce service dans votre organisation : elle vous orientera vers une alternative accessible ou vous fournira le contenu sous une autre forme.',
  'a11y.remediesTitle': 'Voies de recours',
  'a11y.remedies':
    'Si vous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à une fonction et que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez :',
  'a11y.remedy1': 'écrire un message au Défenseur des droits (formulaire sur defenseurdesdroits.fr) ;',
  'a11y.remedy2': 'contacter le délégué du Défenseur des droits dans votre région ;',
  'a11y.remedy3':
    'envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.',
  'a11y.date': 'Déclaration établie le 28 novembre 2026.',
} as const;

export type MessageKey = keyof typeof fr;
export type Messages = Record<MessageKey, string>;
